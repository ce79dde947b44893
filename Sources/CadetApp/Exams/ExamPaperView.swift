import CadetCore
import CadetSandbox
import Foundation
import Synchronization

/// A paper as its taker sees it: questions in the paper's order, choices in the paper's order,
/// statements rendered from Markdown, the saved answers filled in. Hidden tests and right
/// answers never enter it.
///
/// Written as HTML here rather than in a Leaf loop: thousands of takers open their papers in the
/// first seconds of the window, and the parts that are the same for everyone (statements,
/// sample tables) are rendered once per test version and language. Every value is escaped.
struct PaperHTML {
    let html: String
    /// The highest sequence number the server holds: the page counts on from here.
    let lastSeq: Int

    init(paper: Paper, definition: ExamDefinition, version: (exam: UUID, number: Int)?,
         answers: [String: (value: String, seq: Int)], _ t: Localizer) {
        let questions = definition.questions
        let titles = Dictionary(definition.sections.map { ($0.key, $0.title) }, uniquingKeysWith: { a, _ in a })
        var out = ""
        out.reserveCapacity(16_384)
        var previousSection: String?
        // The cache's key for this test version and language, made once a paper, not once a part.
        let shared = version.map { "\($0.exam)/\($0.number)/\(t.locale.rawValue)/" }
        for (index, entry) in paper.items.enumerated() {
            guard let question = questions[entry.question] else { continue }
            if entry.section != previousSection, let title = titles[entry.section] { out += "<h2>\(Self.escape(title))</h2>\n" }
            previousSection = entry.section
            let saved = answers[entry.question]
            let value = saved?.value ?? (question.kind == .coding ? question.starter ?? "" : "")
            let key = Self.escape(entry.question), field = "q_" + key
            out += "<section class=\"question\" data-key=\"\(key)\" data-seq=\"\(saved?.seq ?? 0)\" id=\"question-\(key)\">\n"
            let number = Self.escape(t("exam.question_number", ["number": String(index + 1)]))
            let points = Self.fixed(question, shared, part: "points") {
                Self.escape(t("exam.points_value", ["points": String(format: "%g", question.maxPoints)]))
            }
            out += "<h3>\(number) <span class=\"muted\">(\(points))</span></h3>\n"
            out += Self.fixed(question, shared) { Self.statement(question) }
            switch question.kind {
            case .singleChoice, .multipleChoice:
                let chosen = Set(value.split(separator: ",").map(String.init))
                let type = question.kind == .multipleChoice ? "checkbox" : "radio"
                out += "<fieldset><legend class=\"muted\">\(Self.escape(t(question.kind == .multipleChoice ? "exam.choose_all" : "exam.choose_one")))</legend>\n"
                for original in entry.choiceOrder where (question.choices ?? []).indices.contains(original) {
                    let id = "\(field)_\(original)"
                    out += "<label for=\"\(id)\"><input id=\"\(id)\" type=\"\(type)\" name=\"\(field)\" value=\"\(original)\""
                        + (chosen.contains(String(original)) ? " checked" : "") + "> \(Self.escape(question.choices![original]))</label>\n"
                }
                out += "</fieldset>\n"
            case .numeric, .shortText:
                let extra = question.kind == .numeric ? " inputmode=\"decimal\"" : " maxlength=\"2000\""
                out += "<label for=\"\(field)\">\(Self.escape(t("exam.your_answer")))</label> <input id=\"\(field)\" name=\"\(field)\"\(extra) value=\"\(Self.escape(value))\" autocomplete=\"off\">\n"
            case .coding:
                out += "<label for=\"\(field)\">\(Self.escape(t("exam.your_code")))</label>\n<textarea id=\"\(field)\" name=\"\(field)\" class=\"code\" rows=\"14\" "
                    + "spellcheck=\"false\" autocapitalize=\"off\" autocomplete=\"off\" wrap=\"off\">\(Self.escape(value))</textarea>\n"
                out += Self.fixed(question, shared, part: "samples") { Self.samples(question, key: key, t) }
            }
            out += "</section>\n"
        }
        html = out
        lastSeq = answers.values.map(\.seq).max() ?? 0
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    private static func statement(_ question: ExamDefinition.Question) -> String {
        "<div class=\"statement\">\(SafeMarkdown.html(question.statement))</div>\n"
    }

    private static func samples(_ question: ExamDefinition.Question, key: String, _ t: Localizer) -> String {
        guard let problem = question.sampleProblem else { return "" }
        var out = "<table class=\"samples\"><thead><tr><th>\(escape(t("exam.sample")))</th><th>\(escape(t("exam.input")))</th><th>\(escape(t("exam.expected")))</th></tr></thead><tbody>"
        for (index, test) in problem.tests.enumerated() {
            let input = problem.kind == .function
                ? "\(problem.function ?? "f")(" + (test.args ?? []).map(\.description).joined(separator: ", ") + ")"
                : test.stdin ?? ""
            let expected: String
            if case .string(let text) = test.expected, problem.kind == .stdio { expected = text } else { expected = test.expected.description }
            out += "<tr><td>\(escape(test.name ?? "#\(index + 1)"))</td><td><pre>\(escape(input))</pre></td><td><pre>\(escape(expected))</pre></td></tr>"
        }
        out += "</tbody></table>\n<button type=\"button\" class=\"secondary run-samples\" data-question=\"\(key)\">\(escape(t("exam.run_samples")))</button>\n"
        return out + "<div class=\"run-result\" aria-live=\"polite\"></div>\n"
    }

    private static let cache = Mutex<[String: String]>([:])

    /// A part of a question that is the same on every paper, made once per test version and
    /// language (`shared` names both; nil for a preview, which is made afresh).
    private static func fixed(_ question: ExamDefinition.Question, _ shared: String?, part: String = "statement", make: () -> String) -> String {
        guard let shared else { return make() }
        let key = shared + question.key + "/" + part
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let made = make()
        cache.withLock { $0[key] = made }
        return made
    }
}
