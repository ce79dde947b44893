import ArgumentParser
import CadetCore
import Fluent
import Foundation
import Vapor

/// `cadet round …`: what staff set up on a round's page, scripted: open it, and its questions,
/// consent and rubric from JSON files (formats in docs/recruitment.md). Each is validated and
/// audited as on the page, and a file is applied all or nothing.
struct RoundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "round", abstract: "Set up a cohort's recruitment round.",
                                                    subcommands: [Open.self, Questions.self, Consent.self, Rubric.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open (or change) a cohort's round: its window and capacity.")

        @Option(help: "The cohort, as programme/cohort (e.g. gwangju-ai/c9).") var cohort: String
        @Option(help: "When applications open, e.g. 2027-01-05T09:00 (the academy's time zone unless an offset is given).") var opens: String
        @Option(help: "When they close.") var closes: String
        @Option(help: "Places (default: the cohort's capacity).") var capacity: Int?
        @Flag(help: "Companies nominate their employees for the places.") var sponsored = false
        @Option(help: "KRW per trainee, paid by the company (sponsored rounds).") var tuition: Int?
        @Option(help: "KRW the funder refunds per trainee who completes (sponsored rounds).") var refund: Int?

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let (_, cohort) = try await CommandSupport.cohort(self.cohort, on: app.db)
                var values = ["opens_at": opens, "closes_at": closes, "capacity": String(capacity ?? cohort.capacity)]
                if sponsored {
                    values["sponsored"] = "on"
                    values["tuition_per_trainee"] = tuition.map(String.init) ?? ""
                    values["refund_per_completer"] = refund.map(String.init) ?? ""
                }
                let round = try await CommandSupport.reportingProblems {
                    try await RoundService(database: app.db, actor: .commandLine, timeZone: config.timeZone)
                        .save(for: cohort, try RoundDraft.parse(values, zone: config.timeZone))
                }
                let t = Localizer(locale: .english, timeZone: config.timeZone)
                print("\(self.cohort): applications open \(t.dateTime(round.opensAt)) to \(t.dateTime(round.closesAt)) (\(config.timeZone.identifier)), \(round.capacity) places.")
            }
        }
    }

    struct Questions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add the application form's own questions from a JSON file (a list).")

        @Option(help: "The cohort, as programme/cohort.") var cohort: String
        @Argument(help: "A JSON list of {key, label_ko, label_en, kind, required, options}.") var file: String

        func run() async throws {
            let items = try RoundFile.list(file)
            let drafts = try RoundFile.each(items, in: file) { try QuestionDraft.parse($0) }
            try await RoundFile.withRound(cohort) { service, round, cohort, db in
                for draft in drafts { try await service.addQuestion(to: round, cohort: cohort, draft) }
                print("Added \(drafts.count) question(s) to \(self.cohort).")
            }
        }
    }

    struct Consent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish a new version of the round's consent from a JSON file.")

        @Option(help: "The cohort, as programme/cohort.") var cohort: String
        @Argument(help: "A JSON object {purpose, items, retention, text}.") var file: String

        func run() async throws {
            let draft = try RoundFile.each([try RoundFile.object(file)], in: file) { try ConsentDraft.parse($0) }[0]
            try await RoundFile.withRound(cohort) { _, round, cohort, db in
                try await ConsentService(database: db, actor: .commandLine).publish(for: round, cohort: cohort, draft)
                print("Published a new consent version for \(self.cohort).")
            }
        }
    }

    struct Rubric: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the rubric's weights and scales from a JSON file (a list).")

        @Option(help: "The cohort, as programme/cohort.") var cohort: String
        @Argument(help: "A JSON list of {key, weight, scale}; keys are documents, test, interview.") var file: String

        func run() async throws {
            let items = try RoundFile.list(file)
            let drafts = try RoundFile.each(items, in: file) { values in (values["key"] ?? "", try CriterionDraft.parse(values)) }
            try await RoundFile.withRound(cohort) { service, round, cohort, db in
                for (key, draft) in drafts {
                    do {
                        try await service.updateCriterion(key, in: round, cohort: cohort, draft)
                    } catch PlatformError.notFound {
                        throw CommandFailure("\(file): the rubric has no criterion \"\(key)\"")
                    }
                }
                print("Updated \(drafts.count) criterion(s) of \(self.cohort)'s rubric.")
            }
        }
    }
}

/// Reading a round's set-up from JSON, and applying it in one transaction.
enum RoundFile {
    /// A JSON value a form field can take: text, a number, true/false, or a list of text (one
    /// per line, as a textarea sends it).
    enum Value: Decodable {
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .text(flag ? "true" : "false")
            } else if let number = try? container.decode(Int.self) {
                self = .text(String(number))
            } else if let number = try? container.decode(Double.self) {
                self = .text(String(number))
            } else if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let list = try? container.decode([String].self) {
                self = .text(list.joined(separator: "\n"))
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "values must be text, numbers, true/false or lists of text")
            }
        }

        var text: String { if case .text(let text) = self { text } else { "" } }
    }

    static func object(_ path: String) throws -> [String: String] {
        try decode([String: Value].self, path, expected: "a JSON object").mapValues(\.text)
    }

    static func list(_ path: String) throws -> [[String: String]] {
        try decode([[String: Value]].self, path, expected: "a JSON list of objects").map { $0.mapValues(\.text) }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ path: String, expected: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot read the file") }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw CommandFailure("\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw CommandFailure("\(path): expected \(expected) in JSON")
        }
    }

    /// Parses every item before anything is applied, naming the item and field of each problem.
    static func each<T>(_ items: [[String: String]], in path: String, _ parse: ([String: String]) throws -> T) throws -> [T] {
        var parsed: [T] = []
        var problems: [String] = []
        let t = Localizer(locale: .english, timeZone: .current)
        for (index, values) in items.enumerated() {
            do {
                parsed.append(try parse(values))
            } catch let failure as ValidationFailure {
                problems += failure.issues.map { "\(path)[\(index)].\($0.field): \(FieldMessages.message(for: $0, t))" }
            }
        }
        guard problems.isEmpty else { throw CommandFailure("Nothing was changed.\n" + problems.joined(separator: "\n")) }
        return parsed
    }

    static func withRound(_ cohortText: String, _ body: @escaping @Sendable (RoundService, RecruitmentRound, Cohort, any Database) async throws -> Void) async throws {
        let config = try CommandSupport.loadConfig()
        try await CommandSupport.withApp(config) { app in
            try await MigrationStatus.requireCurrent(app)
            let (_, cohort) = try await CommandSupport.cohort(cohortText, on: app.db)
            guard let round = try await RoundService.round(of: cohort.requireID(), on: app.db) else {
                throw CommandFailure("--cohort: \(cohortText) has no round yet; open one with `cadet round open`")
            }
            try await CommandSupport.reportingProblems {
                try await app.db.transaction { db in
                    try await body(RoundService(database: db, actor: .commandLine, timeZone: config.timeZone), round, cohort, db)
                }
            }
        }
    }
}
