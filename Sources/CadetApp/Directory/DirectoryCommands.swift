import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Operators script their set-up with these; they use the same services, validation and audit
/// as the staff pages.
struct ProgrammeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "programme", abstract: "Manage programmes.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a programme.")

        @Option(help: "Short name for addresses, e.g. gwangju-ai.") var slug: String
        @Option(help: "Full name.") var name: String
        @Option(help: "What the programme is.") var description = ""

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let programme = try await CommandSupport.reportingProblems {
                    try await ProgrammeService(database: app.db, actor: .commandLine).create(["slug": slug, "name": name, "description": description])
                }
                print("Created programme \(programme.slug): \(programme.name)")
            }
        }
    }
}

struct CohortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cohort", abstract: "Manage cohorts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a cohort in a programme.")

        @Option(help: "The programme's slug.") var programme: String
        @Option(help: "Short name within the programme, e.g. c6.") var slug: String
        @Option(help: "Full name, e.g. \"6기 (2025)\".") var name: String
        @Option(help: "Places (정원).") var capacity: String
        @Option(help: "First day, YYYY-MM-DD.") var starts: String
        @Option(help: "Last day, YYYY-MM-DD.") var ends: String
        @Option(name: .customLong("target-hours"), help: "Training hours the cohort must deliver.") var targetHours: String?

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                guard let parent = try await Programme.query(on: app.db).filter(\.$slug == programme).first() else {
                    throw CommandFailure("no programme with slug \"\(programme)\"")
                }
                let values = ["slug": slug, "name": name, "capacity": capacity, "starts_on": starts, "ends_on": ends, "target_hours": targetHours ?? ""]
                let cohort = try await CommandSupport.reportingProblems {
                    try await CohortService(database: app.db, actor: .commandLine).create(in: parent, values)
                }
                print("Created cohort \(parent.slug)/\(cohort.slug): \(cohort.name), \(cohort.capacity) places, \(cohort.startsOn) to \(cohort.endsOn)")
            }
        }
    }
}

extension CommandSupport {
    /// Prints every problem of a bad value, one per line, and exits non-zero.
    static func reportingProblems<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as ValidationFailure {
            let t = Localizer(locale: .english, timeZone: .current)
            throw CommandFailure(failure.issues.map { "--\(optionName($0.field)): \(FieldMessages.message(for: $0, t))" }.joined(separator: "\n"))
        }
    }

    private static func optionName(_ field: String) -> String {
        ["starts_on": "starts", "ends_on": "ends", "target_hours": "target-hours"][field] ?? field
    }
}
