import ArgumentParser
import CadetCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `cadet bench recruitment`: imports 10,000 applications and times the pipeline page and the
/// dashboard over HTTP, against /healthz measured in the same run.
struct RecruitmentBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recruitment", abstract: "Import rate and page times for a round of 10,000 applicants.")

    @Option(help: "Applicants to import.") var applicants = 10_000
    @Option(help: "Requests per page, after three to warm up.") var requests = 30

    func run() async throws {
        var config = try CommandSupport.loadConfig()
        config.logLevel = .error
        var scratch: String?
        if !config.database.isPostgres {
            scratch = NSTemporaryDirectory() + "cadet-bench-\(UUID().uuidString).sqlite"
            config.database = .sqliteFile(scratch!)
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        try await CommandSupport.withApp(config) { app in
            try await app.autoMigrate()
            try await DatabaseTuning.apply(app)
            let tag = "bench-\(Int(Date().timeIntervalSince1970))"
            let programme = try await ProgrammeService(database: app.db, actor: .commandLine).create(["slug": tag, "name": "Benchmark"])
            let cohort = try await CohortService(database: app.db, actor: .commandLine).create(in: programme, [
                "slug": "c1", "name": "Benchmark", "capacity": "330", "starts_on": "2027-03-02", "ends_on": "2027-12-24"])
            let round = try await RoundService(database: app.db, actor: .commandLine, timeZone: config.timeZone)
                .save(for: cohort, try RoundDraft.parse(["opens_at": "2027-01-04T09:00", "closes_at": "2027-02-05T18:00", "capacity": "330"], zone: TimeZone(identifier: "Asia/Seoul")!))

            let csv = Self.file(rows: applicants)
            let started = ContinuousClock.now
            let outcome = try await ApplicationsImporter(database: app.db, actor: .commandLine, timeZone: config.timeZone)
                .run(Array(csv.utf8), round: round, cohort: cohort)
            let importSeconds = Self.seconds(ContinuousClock.now - started)
            guard case .imported(let count) = outcome else { throw CommandFailure("the benchmark file did not import: \(outcome)") }

            let operatorUser = User(email: "\(tag)@bench.invalid", name: "Bench")
            try await operatorUser.create(on: app.db)
            try await RoleService(database: app.db, actor: .commandLine).ensure(.operator, for: operatorUser.id!, at: .academy)
            let token = Tokens.random()
            try await UserSession(userID: operatorUser.id!, tokenHash: Tokens.sha256(token), expiresAt: Date().addingTimeInterval(3600),
                                  address: nil, userAgent: nil).create(on: app.db)

            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            guard let port = app.http.server.shared.localAddress?.port else { throw CommandFailure("the server did not start") }
            let base = "http://127.0.0.1:\(port)"
            let pages = "/programmes/\(tag)/cohorts/c1"
            func median(_ path: String) async throws -> Double {
                var times: [Double] = []
                for index in 0..<(requests + 3) {
                    let begin = ContinuousClock.now
                    let response = try await app.client.get(URI(string: base + path), headers: ["Cookie": "\(SessionMiddleware.cookieName)=\(token)"])
                    guard response.status == .ok, (response.body?.readableBytes ?? 0) > 0 else { throw CommandFailure("\(path) answered \(response.status)") }
                    if index >= 3 { times.append(Self.seconds(ContinuousClock.now - begin) * 1000) }
                }
                return CadetMetrics.percentile(times.sorted(), 0.5)
            }
            let baseline = try await median("/healthz")
            let results = [
                ("pipeline, first page", try await median("\(pages)/applicants")),
                ("pipeline, filtered and sorted", try await median("\(pages)/applicants?region=Gwangju&stage=submitted&age_band=25_29&sort=submitted")),
                ("pipeline, page 150", try await median("\(pages)/applicants?page=150&sort=name")),
                ("pipeline, search", try await median("\(pages)/applicants?q=person9999")),
                ("dashboard", try await median("\(pages)/dashboard")),
            ]
            print("Round of \(count) applicants on \(config.database.isPostgres ? "PostgreSQL" : "SQLite")")
            print(String(format: "  import: %d rows in %.2f s = %.0f rows/s   (target: under 10 s)", count, importSeconds, Double(count) / importSeconds))
            print(String(format: "  baseline /healthz median: %.1f ms", baseline))
            for (name, ms) in results {
                print(String(format: "  %@ median: %.1f ms = %.1f × /healthz   (target: under 200 ms)", name.padding(toLength: 30, withPad: " ", startingAt: 0), ms, ms / baseline))
            }
            if config.database.isPostgres {
                // Leave nothing behind in a shared database.
                try await (app.db as! any SQLDatabase).raw("DELETE FROM applications WHERE cohort_id = \(bind: cohort.id!)").run()
                try await RecruitmentRound.query(on: app.db).filter(\.$id == round.id!).delete()
                try await Cohort.query(on: app.db).filter(\.$id == cohort.id!).delete()
                try await RoleGrant.query(on: app.db).filter(\.$user.$id == operatorUser.id!).delete()
                try await User.query(on: app.db).filter(\.$id == operatorUser.id!).delete()
                try await programme.delete(on: app.db)
            }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A realistic file: Korean names, quoted fields, every region, a spread of ages and scores.
    static func file(rows: Int) -> String {
        var generator = SeededGenerator(seed: 10_000)
        var text = "\u{FEFF}name,email,birth_date,region,submitted_at,gender,education,major_field,employment_status,test_score,document_score,interview_score\r\n"
        let regions = Region.allCases
        for n in 1...rows {
            let region = n % 3 == 0 ? Region.gwangju : regions[Int.random(in: 0..<regions.count, using: &generator)]
            let year = Int.random(in: 1980...2004, using: &generator)
            let day = Int.random(in: 4...31, using: &generator)
            text += "\"지원자 \(n), 광주\",person\(n)@example.org,\(year)-0\(Int.random(in: 1...9, using: &generator))-1\(Int.random(in: 0...9, using: &generator)),"
            text += "\(region.koreanName),2027-01-\(String(format: "%02d", day))T\(String(format: "%02d", n % 24)):00,"
            text += "\(["female", "male"][n % 2]),bachelor,\(MajorField.allCases[n % 4].rawValue),\(["employed", "unemployed", "student"][n % 3]),"
            text += "\(Int.random(in: 20...100, using: &generator)),\(Int.random(in: 20...100, using: &generator)),\(Int.random(in: 20...100, using: &generator))\r\n"
        }
        return text
    }
}
