import CadetCore
import CadetSandbox
import Foundation

/// An admission test's content, as staff write it and as it is exported for next year: sections
/// of questions, each drawing some of its pool for every taker.
struct ExamDefinition: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable, CaseIterable {
        case singleChoice = "single_choice"
        case multipleChoice = "multiple_choice"
        case numeric
        case shortText = "short_text"
        case coding
    }

    struct Question: Codable, Sendable, Equatable {
        var key: String
        var kind: Kind
        /// Points for objective questions; a coding question is worth its hidden tests' points.
        var points: Double?
        /// Markdown.
        var statement: String
        var choices: [String]?
        /// Indices of the right choices, as written.
        var answer: [Int]?
        /// The right number, for numeric questions.
        var value: Double?
        var tolerance: Double?
        /// Accepted answers, for short text.
        var accept: [String]?
        /// The sandbox question: samples (`sample: true`) are shown and can be run by the taker;
        /// the hidden tests decide the score.
        var problem: Problem?
        /// A solution staff check the tests with; never shown to takers.
        var reference: String?
        /// Starting code put in the editor.
        var starter: String?

        var maxPoints: Double {
            if kind == .coding { return problem?.tests.filter { !$0.sample }.reduce(0) { $0 + $1.points } ?? 0 }
            return points ?? 0
        }

        /// The hidden tests only: what grading runs.
        var gradingProblem: Problem? {
            guard var p = problem else { return nil }
            p.tests = p.tests.filter { !$0.sample }
            return p
        }

        /// The samples only: what a taker may run.
        var sampleProblem: Problem? {
            guard var p = problem else { return nil }
            p.tests = p.tests.filter(\.sample)
            return p.tests.isEmpty ? nil : p
        }
    }

    struct Section: Codable, Sendable, Equatable {
        var key: String
        var title: String
        /// Questions each taker gets from this section's pool; all when absent.
        var draw: Int?
        var questions: [Question]
    }

    var title: String
    var sections: [Section]

    static let empty = ExamDefinition(title: "", sections: [])

    var questions: [String: Question] {
        Dictionary(sections.flatMap(\.questions).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The most a taker can score (every section's draw, counted with its smallest questions
    /// would differ per paper; sections whose questions differ in points are flagged instead).
    var maxScore: Double {
        sections.reduce(0) { total, section in
            let points = section.questions.map(\.maxPoints).sorted(by: >)
            return total + points.prefix(section.draw ?? points.count).reduce(0, +)
        }
    }

    var plan: [Paper.SectionPlan] {
        sections.map { Paper.SectionPlan(key: $0.key, draw: $0.draw, questions: $0.questions.map { ($0.key, $0.choices?.count ?? 0) }) }
    }

    /// Everything wrong with a definition, each named by its path.
    func problems() -> [String] {
        var found: [String] = []
        if title.trimmingCharacters(in: .whitespaces).isEmpty { found.append("title: required") }
        if sections.isEmpty { found.append("sections: at least one section") }
        var keys: Set<String> = []
        for (s, section) in sections.enumerated() {
            let at = "sections[\(s)]"
            if section.questions.isEmpty { found.append("\(at).questions: at least one question") }
            if let draw = section.draw, draw < 1 || draw > section.questions.count {
                found.append("\(at).draw: must be from 1 to the \(section.questions.count) questions in the section")
            }
            // Drawn questions must be worth the same, or papers would not be fair.
            if section.draw != nil, Set(section.questions.map(\.maxPoints)).count > 1 {
                found.append("\(at).draw: questions drawn from a pool must be worth the same points")
            }
            for (q, question) in section.questions.enumerated() {
                let path = "\(at).questions[\(q)]"
                if !Self.isKey(question.key) { found.append("\(path).key: letters, digits and underscores") }
                if !keys.insert(question.key).inserted { found.append("\(path).key: \"\(question.key)\" is used twice") }
                if question.statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { found.append("\(path).statement: required") }
                switch question.kind {
                case .singleChoice, .multipleChoice:
                    let choices = question.choices ?? []
                    if choices.count < 2 { found.append("\(path).choices: at least two") }
                    let answer = question.answer ?? []
                    if answer.isEmpty || answer.contains(where: { $0 < 0 || $0 >= choices.count }) {
                        found.append("\(path).answer: indices of the right choices, from 0")
                    }
                    if question.kind == .singleChoice && answer.count != 1 { found.append("\(path).answer: exactly one for a single choice") }
                case .numeric:
                    if question.value == nil { found.append("\(path).value: the right number is required") }
                    if (question.tolerance ?? 0) < 0 { found.append("\(path).tolerance: must not be negative") }
                case .shortText:
                    if (question.accept ?? []).isEmpty { found.append("\(path).accept: at least one accepted answer") }
                case .coding:
                    guard let problem = question.problem else { found.append("\(path).problem: the tests are required"); continue }
                    found += problem.problems().map { "\(path).problem.\($0)" }
                    if !problem.tests.contains(where: { !$0.sample }) { found.append("\(path).problem.tests: at least one hidden test") }
                }
                if question.kind != .coding, (question.points ?? 0) <= 0 { found.append("\(path).points: more than zero") }
            }
        }
        return found
    }

    static func isKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 40 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    static func decode(_ data: Data) throws -> ExamDefinition {
        do {
            return try JSONDecoder().decode(ExamDefinition.self, from: data)
        } catch {
            throw ExamError.definitionUnreadable(SandboxCommand.describe(error))
        }
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

extension ExamDefinition {
    /// The sample admission test that ships with Cadet (beginner Python and basic maths): the
    /// demo, the load benchmark and the tests use it, and staff can start from it.
    static var example: ExamDefinition {
        guard let url = Bundle.module.url(forResource: "admission-test", withExtension: "json", subdirectory: "Resources/Examples"),
              let data = try? Data(contentsOf: url), let definition = try? decode(data) else {
            fatalError("Resources/Examples/admission-test.json is missing or unreadable")
        }
        return definition
    }
}
