import CadetCore
import CadetSandbox
import Foundation

/// A paper as its taker sees it: questions in the paper's order, choices in the paper's order,
/// statements rendered from Markdown, the saved answers filled in. Hidden tests and right
/// answers never enter it.
struct PaperView: Encodable {
    struct Choice: Encodable {
        let id: String
        let value: String
        let label: String
        let checked: Bool
    }

    struct Sample: Encodable {
        let name: String
        let input: String
        let expected: String
    }

    struct Item: Encodable {
        let number: Int
        let key: String
        let field: String
        let sectionTitle: String?
        let points: String
        let statement: String
        let choices: [Choice]?
        let multiple: Bool
        let numeric: Bool
        let text: Bool
        let coding: Bool
        let value: String
        let seq: Int
        let samples: [Sample]?
    }

    let items: [Item]
    /// The highest sequence number the server holds: the page counts on from here.
    let lastSeq: Int

    init(paper: Paper, definition: ExamDefinition, answers: [String: (value: String, seq: Int)]) {
        let questions = definition.questions
        let titles = Dictionary(definition.sections.map { ($0.key, $0.title) }, uniquingKeysWith: { a, _ in a })
        var previousSection: String?
        var items: [Item] = []
        for (index, entry) in paper.items.enumerated() {
            guard let question = questions[entry.question] else { continue }
            let saved = answers[entry.question]
            let value = saved?.value ?? (question.kind == .coding ? question.starter ?? "" : "")
            let chosen = Set(value.split(separator: ",").map(String.init))
            let choices = question.choices.map { labels in
                entry.choiceOrder.compactMap { original -> Choice? in
                    guard labels.indices.contains(original) else { return nil }
                    return Choice(id: "q_\(entry.question)_\(original)", value: String(original), label: labels[original], checked: chosen.contains(String(original)))
                }
            }
            items.append(Item(
                number: index + 1, key: entry.question, field: "q_\(entry.question)",
                sectionTitle: entry.section == previousSection ? nil : titles[entry.section],
                points: String(format: "%g", question.maxPoints), statement: SafeMarkdown.html(question.statement),
                choices: choices, multiple: question.kind == .multipleChoice, numeric: question.kind == .numeric,
                text: question.kind == .shortText, coding: question.kind == .coding, value: value, seq: saved?.seq ?? 0,
                samples: question.sampleProblem.map { Self.samples($0) }))
            previousSection = entry.section
        }
        self.items = items
        lastSeq = answers.values.map(\.seq).max() ?? 0
    }

    static func samples(_ problem: Problem) -> [Sample] {
        problem.tests.enumerated().map { index, test in
            let input: String
            if problem.kind == .function {
                input = "\(problem.function ?? "f")(" + (test.args ?? []).map(\.description).joined(separator: ", ") + ")"
            } else {
                input = test.stdin ?? ""
            }
            let expected: String
            if case .string(let text) = test.expected, problem.kind == .stdio { expected = text } else { expected = test.expected.description }
            return Sample(name: test.name ?? "#\(index + 1)", input: input, expected: expected)
        }
    }
}
