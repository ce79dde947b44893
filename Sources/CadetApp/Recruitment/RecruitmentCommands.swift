import ArgumentParser
import CadetCore
import Fluent
import Foundation
import Vapor

extension CommandSupport {
    /// `--cohort programme/cohort`, or just `cohort` when only one programme has a cohort by that slug.
    static func cohort(_ text: String, on db: any Database) async throws -> (Programme, Cohort) {
        let parts = text.split(separator: "/").map(String.init)
        var query = Cohort.query(on: db).filter(\.$slug == parts.last ?? "").with(\.$programme)
        if parts.count == 2 {
            guard let programme = try await Programme.query(on: db).filter(\.$slug == parts[0]).first() else {
                throw CommandFailure("--cohort: no programme with slug \"\(parts[0])\"")
            }
            query = query.filter(\.$programme.$id == programme.id!)
        } else if parts.count != 1 {
            throw CommandFailure("--cohort: write it as programme/cohort, e.g. gwangju-ai/c1")
        }
        let found = try await query.all()
        guard let cohort = found.first else { throw CommandFailure("--cohort: no cohort \"\(text)\"") }
        guard found.count == 1 else {
            throw CommandFailure("--cohort: \"\(text)\" is in several programmes; write one of " + found.map { "\($0.programme.slug)/\($0.slug)" }.joined(separator: ", "))
        }
        return (cohort.programme, cohort)
    }
}

extension ImportCommand {
    struct Applications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import applications from a CSV file into a cohort's round (all or nothing).")

        @Option(help: "The cohort, as programme/cohort (e.g. gwangju-ai/c1).") var cohort: String
        @Argument(help: "The CSV file (UTF-8; see docs/recruitment.md for the columns).") var file: String

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("\(file): cannot be read") }
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let (_, cohort) = try await CommandSupport.cohort(self.cohort, on: app.db)
                guard let round = try await RoundService.round(of: cohort.id!, on: app.db) else {
                    throw CommandFailure("--cohort: \(self.cohort) has no recruitment round yet; set one up on its recruitment page")
                }
                let bar = ProgressBar()
                let started = ContinuousClock.now
                let outcome = try await ApplicationsImporter(database: app.db, actor: .commandLine, timeZone: config.timeZone)
                    .run(Array(data), round: round, cohort: cohort) { bar.show($0, $1, $2) }
                bar.finish()
                switch outcome {
                case .imported(let count):
                    let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
                    print("Imported \(count) applications into \(self.cohort) in \(String(format: "%.1f", seconds)) s.")
                case .problems(let problems):
                    throw CommandFailure("Nothing was imported. \(problems.count) problem(s):\n" + problems.map { "  " + $0.message(Localizer(locale: .english, timeZone: config.timeZone)) }.joined(separator: "\n"))
                }
            }
        }
    }
}

/// A progress bar on standard error, redrawn in place.
final class ProgressBar: @unchecked Sendable {
    // @unchecked: the importer reports progress from one task at a time.
    private var last = ""

    func show(_ phase: String, _ done: Int, _ total: Int) {
        let width = 30
        let filled = total == 0 ? width : width * done / max(total, 1)
        let line = "\r\(phase.padding(toLength: 8, withPad: " ", startingAt: 0)) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)"
        guard line != last else { return }
        last = line
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if !last.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

extension ReportCommand {
    struct Recruitment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A cohort's recruitment figures, counted by the database.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

        @Option(help: "The cohort, as programme/cohort (e.g. gwangju-ai/c1).") var cohort: String
        @Option(help: "json or text.") var format: Format = .text

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let (_, cohort) = try await CommandSupport.cohort(self.cohort, on: app.db)
                guard let round = try await RoundService.round(of: cohort.id!, on: app.db) else {
                    throw CommandFailure("--cohort: \(self.cohort) has no recruitment round")
                }
                let report = try await RecruitmentReportQueries.report(round: round, zone: config.timeZone, on: app.db)
                switch format {
                case .json:
                    print(try Self.json(report))
                case .text:
                    print("\(self.cohort): \(report.applicants) applicants for \(report.capacity) places, \(String(format: "%.2f", report.competitionRatio)) : 1")
                    print("capital area: \(report.capitalArea)")
                    for (title, counts) in [("region", report.byRegion), ("gender", report.byGender), ("age band", report.byAgeBand),
                                            ("major field", report.byMajorField), ("education", report.byEducation),
                                            ("employment", report.byEmploymentStatus), ("stage", report.funnel)] {
                        print("\(title): " + counts.filter { $0.value > 0 }.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                    }
                }
            }
        }

        static func json(_ report: RecruitmentReport) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }
    }
}
