import Foundation

/// Marks answers that need no sandbox: choices, numbers and short text.
public enum ObjectiveScoring {
    /// Single choice: all the points or none. Multiple choice: all the points only for exactly the
    /// right set (partial sets are what guessing looks like).
    public static func choices(_ chosen: Set<Int>, correct: Set<Int>, points: Double) -> Double {
        chosen == correct && !correct.isEmpty ? points : 0
    }

    /// A number within `tolerance` of the answer (absolute), written with a point or a comma as
    /// the decimal mark, or as a fraction such as 3/4.
    public static func numeric(_ raw: String, answer: Double, tolerance: Double, points: Double) -> Double {
        guard let value = number(raw) else { return 0 }
        return abs(value - answer) <= max(tolerance, 0) + 1e-12 ? points : 0
    }

    public static func number(_ raw: String) -> Double? {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
        guard !text.isEmpty, text.count <= 40 else { return nil }
        if let value = Double(text), value.isFinite { return value }
        let parts = text.split(separator: "/")
        if parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), b != 0 { return a / b }
        return nil
    }

    /// Short text: any accepted answer, ignoring case, surrounding space and repeated spaces.
    public static func shortText(_ raw: String, accepted: [String], points: Double) -> Double {
        let answer = normalise(raw)
        return !answer.isEmpty && accepted.contains { normalise($0) == answer } ? points : 0
    }

    static func normalise(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// Pairs of code answers so alike that staff may want to look: a signal, never a verdict.
public enum CodeSimilarity {
    public struct Pair: Equatable, Sendable {
        public let first: String
        public let second: String
        public let similarity: Double

        public init(first: String, second: String, similarity: Double) {
            self.first = first
            self.second = second
            self.similarity = similarity
        }
    }

    /// Tokens with names and literals replaced, so renaming variables does not hide copying.
    public static func tokens(_ source: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inComment = false
        let keywords: Set<String> = ["def", "return", "if", "elif", "else", "for", "while", "in", "and", "or", "not", "import",
                                     "from", "print", "input", "range", "len", "int", "str", "float", "list", "map", "split", "True", "False", "None"]
        func flush() {
            guard !current.isEmpty else { return }
            if current.first!.isNumber { tokens.append("N") } else { tokens.append(keywords.contains(current) ? current : "ID") }
            current = ""
        }
        var inString: Character?
        for ch in source {
            if inComment { if ch == "\n" { inComment = false }; continue }
            if let quote = inString {
                if ch == quote { inString = nil; tokens.append("S") }
                continue
            }
            if ch == "#" { flush(); inComment = true; continue }
            if ch == "\"" || ch == "'" { flush(); inString = ch; continue }
            if ch.isLetter || ch.isNumber || ch == "_" { current.append(ch); continue }
            flush()
            if !ch.isWhitespace { tokens.append(String(ch)) }
        }
        flush()
        return tokens
    }

    static func shingles(_ tokens: [String], size: Int = 5) -> Set<String> {
        guard tokens.count >= size else { return tokens.isEmpty ? [] : [tokens.joined(separator: " ")] }
        return Set((0...(tokens.count - size)).map { tokens[$0..<($0 + size)].joined(separator: " ") })
    }

    /// Jaccard similarity of 5-token shingles for every pair at or above `threshold`, most alike
    /// first. Answers of fewer than 12 tokens are too short to tell anything. Only pairs that
    /// share a shingle are compared, and shingles nearly everyone wrote (the question's own
    /// boilerplate) are set aside, so thousands of answers take seconds, not hours.
    public static func pairs(_ answers: [(id: String, source: String)], threshold: Double = 0.8) -> [Pair] {
        let prints = answers.compactMap { answer -> (String, Set<String>)? in
            let t = tokens(answer.source)
            return t.count >= 12 ? (answer.id, shingles(t)) : nil
        }
        var holders: [String: [Int]] = [:]
        for (index, print) in prints.enumerated() {
            for shingle in print.1 { holders[shingle, default: []].append(index) }
        }
        let common = max(50, prints.count / 10)
        var shared: [Int: Int] = [:]
        for (_, owners) in holders where owners.count > 1 && owners.count <= common {
            for i in owners.indices {
                for j in owners.indices where j > i {
                    shared[owners[i] * prints.count + owners[j], default: 0] += 1
                }
            }
        }
        var found: [Pair] = []
        for (key, _) in shared {
            let i = key / prints.count, j = key % prints.count
            let a = prints[i].1, b = prints[j].1
            let score = Double(a.intersection(b).count) / Double(a.union(b).count)
            if score >= threshold { found.append(Pair(first: prints[i].0, second: prints[j].0, similarity: score)) }
        }
        return found.sorted { ($0.similarity, $1.first) > ($1.similarity, $0.first) }
    }
}
