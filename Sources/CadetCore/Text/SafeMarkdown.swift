/// The small part of Markdown a question statement needs (paragraphs, headings, lists, code
/// blocks, inline code, bold and italics), turned into HTML that cannot carry markup of its own:
/// everything is escaped first, and no construct makes a link, an image or an attribute.
public enum SafeMarkdown {
    public static func html(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        var code: [String]?

        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map(inline).joined(separator: "<br>") + "</p>") }
            paragraph = []
        }
        func flushList() {
            guard let open = list else { return }
            let tag = open.ordered ? "ol" : "ul"
            out.append("<\(tag)>" + open.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>")
            list = nil
        }

        for rawLine in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if var block = code {
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    out.append("<pre><code>" + escape(block.joined(separator: "\n")) + "</code></pre>")
                    code = nil
                } else {
                    block.append(line)
                    code = block
                }
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                flushParagraph(); flushList()
                code = []
            } else if trimmed.isEmpty {
                flushParagraph(); flushList()
            } else if let (level, text) = heading(trimmed) {
                flushParagraph(); flushList()
                out.append("<h\(level)>\(inline(text))</h\(level)>")
            } else if let (ordered, text) = listItem(trimmed) {
                flushParagraph()
                if list?.ordered != ordered { flushList(); list = (ordered, []) }
                list?.items.append(text)
            } else {
                flushList()
                paragraph.append(trimmed)
            }
        }
        if let block = code { out.append("<pre><code>" + escape(block.joined(separator: "\n")) + "</code></pre>") }
        flushParagraph(); flushList()
        return out.joined(separator: "\n")
    }

    public static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// Headings start at level 3: the page already has its own h1 and h2.
    private static func heading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...3).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes + 2, String(line.dropFirst(hashes + 1)))
    }

    private static func listItem(_ line: String) -> (Bool, String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3, line.dropFirst(digits.count).hasPrefix(". ") {
            return (true, String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// `code`, **bold** and *italic*, on text that is escaped piece by piece.
    static func inline(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let tick = rest.firstIndex(of: "`") {
            result += emphasis(String(rest[..<tick]))
            let after = rest[rest.index(after: tick)...]
            guard let close = after.firstIndex(of: "`") else {
                result += emphasis(String(rest[tick...]))
                return result
            }
            result += "<code>" + escape(String(after[..<close])) + "</code>"
            rest = after[after.index(after: close)...]
        }
        return result + emphasis(String(rest))
    }

    private static func emphasis(_ text: String) -> String {
        var escaped = escape(text)
        escaped = replacePairs(in: escaped, marker: "**", tag: "strong")
        escaped = replacePairs(in: escaped, marker: "*", tag: "em")
        return escaped
    }

    /// `a *b* c` → `a <em>b</em> c`; an unpaired marker, or one beside a space (`2 * 3 * 4`),
    /// stays as written.
    private static func replacePairs(in text: String, marker: String, tag: String) -> String {
        let parts = text.components(separatedBy: marker)
        var result = parts[0]
        for index in stride(from: 1, to: parts.count, by: 2) {
            let inner = parts[index]
            if index + 1 < parts.count, let first = inner.first, let last = inner.last, !first.isWhitespace, !last.isWhitespace {
                result += "<\(tag)>\(parts[index])</\(tag)>" + parts[index + 1]
            } else {
                result += marker + parts[index] + (index + 1 < parts.count ? marker + parts[index + 1] : "")
            }
        }
        return result
    }
}
