import CadetCore
import ArgumentParser
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// The commands operators script with, run in-process against a database file of their own.
@Suite("Command line")
struct CommandTests {
    /// Runs `body` with settings pointing at a fresh SQLite file, migrated.
    static func withDatabase(_ extra: [String: String] = [:], _ body: ([String: String]) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "cadet-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var env = ["CADET_DATA_DIR": directory, "CADET_BCRYPT_COST": "4", "LOG_LEVEL": "error", "CADET_DB_POOL_SIZE": "1"].merging(extra) { $1 }
        if let url = ProcessInfo.processInfo.environment["CADET_TEST_DATABASE_URL"] {
            env["DATABASE_URL"] = url
            env["CADET_DATABASE_SCHEMA"] = "cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        }
        try await AppConfig.$environmentOverride.withValue(env) {
            let config = try AppConfig.load()
            if let schema = config.databaseSchema {
                try await CommandSupport.withApp(config) { app in
                    try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: schema)").run()
                }
            }
            try await MigrateCommand.parse([]).run()
            do {
                try await body(env)
            } catch {
                try? await dropSchema(config)
                throw error
            }
            try? await dropSchema(config)
        }
    }

    static func dropSchema(_ config: AppConfig) async throws {
        guard let schema = config.databaseSchema else { return }
        try await CommandSupport.withApp(config) { app in
            try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
    }

    static func inspect<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T {
        try await CommandSupport.withApp(try AppConfig.load()) { app in try await body(app.db) }
    }

    @Test("programme create and cohort create validate, save and audit like the pages")
    func createProgrammeAndCohort() async throws {
        try await Self.withDatabase { _ in
            try await ProgrammeCommand.Create.parse(["--slug", "busan-ai", "--name", "Busan AI Academy"]).run()
            try await CohortCommand.Create.parse(["--programme", "busan-ai", "--slug", "c1", "--name", "1기", "--capacity", "40",
                                                  "--starts", "2027-03-02", "--ends", "2027-08-27", "--target-hours", "880"]).run()
            let (cohorts, events) = try await Self.inspect { db in
                (try await Cohort.query(on: db).all().map { "\($0.slug) \($0.capacity) \($0.targetHours ?? 0)" },
                 try await AuditEvent.query(on: db).all().map { "\($0.action) \($0.actorLabel)" })
            }
            #expect(cohorts == ["c1 40 880"])
            #expect(events.contains { $0.hasPrefix("programme.created cli:") })
            #expect(events.contains { $0.hasPrefix("cohort.created cli:") })
        }
    }

    @Test("a duplicate slug or a bad value is a clear error naming the option, and saves nothing")
    func badValues() async throws {
        try await Self.withDatabase { _ in
            try await ProgrammeCommand.Create.parse(["--slug", "busan-ai", "--name", "Busan"]).run()
            await #expect { try await ProgrammeCommand.Create.parse(["--slug", "busan-ai", "--name", "Again"]).run() } throws: { error in
                String(describing: error).contains("--slug") && String(describing: error).contains("already in use")
            }
            await #expect { try await CohortCommand.Create.parse(["--programme", "busan-ai", "--slug", "c1", "--name", "1", "--capacity", "lots",
                                                                  "--starts", "2027-03-02", "--ends", "2027-02-01"]).run() } throws: { error in
                let text = String(describing: error)
                return text.contains("--capacity") && text.contains("--ends")
            }
            await #expect { try await CohortCommand.Create.parse(["--programme", "nowhere", "--slug", "c1", "--name", "1", "--capacity", "3",
                                                                  "--starts", "2027-03-02", "--ends", "2027-04-01"]).run() } throws: { error in
                String(describing: error).contains("nowhere")
            }
            let count = try await Self.inspect { try await Cohort.query(on: $0).count() }
            #expect(count == 0)
        }
    }

    @Test("cadet demo is idempotent: the second run changes nothing")
    func demoIdempotent() async throws {
        try await Self.withDatabase { _ in
            try await DemoCommand.parse([]).run()
            let first = try await Self.inspect(Self.counts)
            try await DemoCommand.parse([]).run()
            let second = try await Self.inspect(Self.counts)
            #expect(first == second)
            #expect(first["users"]! > 700)
        }
    }

    @Test("import applications: all or nothing from the command line, then the report counts them")
    func importAndReport() async throws {
        try await Self.withDatabase { _ in
            try await ProgrammeCommand.Create.parse(["--slug", "busan-ai", "--name", "Busan"]).run()
            try await CohortCommand.Create.parse(["--programme", "busan-ai", "--slug", "c1", "--name", "1기", "--capacity", "4",
                                                  "--starts", "2027-03-02", "--ends", "2027-08-27"]).run()
            try await Self.inspect { db in
                let cohort = try await Cohort.query(on: db).first()!
                _ = try await RoundService(database: db, actor: .commandLine, timeZone: TimeZone(identifier: "Asia/Seoul")!)
                    .save(for: cohort, try RoundDraft.parse(["opens_at": "2027-01-05T09:00", "closes_at": "2027-02-05T18:00", "capacity": "4"], zone: TimeZone(identifier: "Asia/Seoul")!))
            }
            let file = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: file) }
            try ("\u{FEFF}name,email,birth_date,region,submitted_at,gender,major_field\r\n"
                 + "김하나,one@example.org,2001-01-01,부산광역시,2027-01-10T10:00,female,computing\r\n"
                 + "이둘,two@example.org,1990-06-15,Seoul,2027-01-11 11:00,male,humanities_other\r\n"
                 + "\"Park, Set\",three@example.org,1985-03-03,경기,2027-01-12T12:00+09:00,,\r\n").write(toFile: file, atomically: true, encoding: .utf8)
            try await ImportCommand.Applications.parse(["--cohort", "busan-ai/c1", file]).run()
            let broken = NSTemporaryDirectory() + "broken-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: broken) }
            try "name,email,birth_date,region,submitted_at\nx,four@example.org,1990-01-01,Mars,2027-01-10T10:00\n".write(toFile: broken, atomically: true, encoding: .utf8)
            await #expect { try await ImportCommand.Applications.parse(["--cohort", "busan-ai/c1", broken]).run() } throws: { error in
                String(describing: error).contains("Line 2, column region: \"Mars\" is not one of the 17 provinces")
            }
            await #expect { try await ImportCommand.Applications.parse(["--cohort", "nowhere/c1", file]).run() } throws: { error in
                String(describing: error).contains("--cohort")
            }
            try await ReportCommand.Recruitment.parse(["--cohort", "busan-ai/c1", "--format", "json"]).run()
            let json = try await Self.inspect { db in
                let round = try await RecruitmentRound.query(on: db).first()!
                return try ReportCommand.Recruitment.json(try await RecruitmentReportQueries.report(round: round, zone: TimeZone(identifier: "Asia/Seoul")!, on: db))
            }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            for key in ["capacity", "applicants", "competition_ratio", "by_region", "capital_area", "by_gender", "by_age_band",
                        "by_major_field", "by_education", "by_employment_status", "funnel"] {
                #expect(object[key] != nil, "missing \(key)")
            }
            #expect(object["applicants"] as? Int == 3)
            #expect(object["competition_ratio"] as? Double == 0.75)
            #expect(object["capital_area"] as? Int == 2)
            #expect((object["by_region"] as? [String: Int])?["Busan"] == 1)
            #expect((object["by_age_band"] as? [String: Int]) == ["under_25": 0, "25_29": 1, "30_34": 0, "35_39": 1, "40_plus": 1, "unknown": 0])
            #expect((object["funnel"] as? [String: Int])?["submitted"] == 3)
        }
    }

    @Test("cadet doctor passes on a healthy set-up and fails when the sandbox is missing")
    func doctor() async throws {
        try await Self.withDatabase { _ in
            try await DoctorCommand.parse([]).run()
        }
        try await Self.withDatabase(["CADET_SANDBOX_BWRAP": "/nonexistent/bwrap"]) { _ in
            await #expect(throws: ExitCode.self) { try await DoctorCommand.parse([]).run() }
        }
    }

    @Test("serve --no-migrate refuses to start on a database with pending migrations")
    func noMigrate() async throws {
        let directory = NSTemporaryDirectory() + "cadet-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        await AppConfig.$environmentOverride.withValue(["CADET_DATA_DIR": directory, "LOG_LEVEL": "error"]) {
            await #expect { try await ServeCommand.parse(["--no-migrate", "--port", "0"]).run() } throws: { error in
                String(describing: error).contains("cadet migrate")
            }
        }
    }

    @Sendable static func counts(_ db: any Database) async throws -> [String: Int] {
        [
            "users": try await User.query(on: db).count(),
            "programmes": try await Programme.query(on: db).count(),
            "cohorts": try await Cohort.query(on: db).count(),
            "phases": try await CohortPhase.query(on: db).count(),
            "classes": try await TrainingClass.query(on: db).count(),
            "members": try await ClassMember.query(on: db).count(),
            "grants": try await RoleGrant.query(on: db).count(),
            "audit": try await AuditEvent.query(on: db).count(),
        ]
    }
}

import SQLKit

@Suite("cadet sandbox run")
struct SandboxRunCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/examples").path

    @Test("grades the documented examples, and names what is wrong with a broken tests file")
    func run() async throws {
        try await SandboxCommand.Run.parse(["--tests", "\(Self.examples)/sum.tests.json", "\(Self.examples)/sum.py"]).run()
        try await SandboxCommand.Run.parse(["--tests", "\(Self.examples)/mean.tests.json", "\(Self.examples)/mean.py"]).run()
        let broken = NSTemporaryDirectory() + "broken-\(UUID().uuidString).json"
        try #"{"tests": [{"stdin": 3, "expected": "x"}]}"#.write(toFile: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: broken) }
        await #expect { try await SandboxCommand.Run.parse(["--tests", broken, "\(Self.examples)/sum.py"]).run() } throws: { error in
            String(describing: error).contains(".tests[0].stdin")
        }
        let unsafe = NSTemporaryDirectory() + "unsafe-\(UUID().uuidString).json"
        try #"{"limits": {"memory_mib": 100000}, "tests": [{"stdin": "", "expected": ""}]}"#.write(toFile: unsafe, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: unsafe) }
        await #expect { try await SandboxCommand.Run.parse(["--tests", unsafe, "\(Self.examples)/sum.py"]).run() } throws: { error in
            String(describing: error).contains("limits.memory_mib")
        }
    }
}

@Suite("cadet bench: the machine")
struct BenchMachineTests {
    @Test("reads this machine from /proc, and splits the opening's and the rest's time between the server, the takers, PostgreSQL, the rest and the disk")
    func shares() throws {
        let reading = try #require(MachineLoad.now(server: 1, takers: 2))
        #expect(reading.busy > 0 && reading.idle >= 0 && reading.stolen >= 0 && reading.server == 1 && reading.takers == 2)
        #expect(reading.writes > 0, "this machine's disk has been written to since it started")

        // Two cores: 10 s of opening, then 20 s after it.
        var outcome = ExamBenchOutcome()
        outcome.startedBy = [3, 9.5]
        outcome.machine = [
            (0, MachineLoad(busy: 100, idle: 50, diskWait: 1, stolen: 10, postgres: 5, server: 20, takers: 30, writes: 100, writingMs: 50, flushes: 10, flushingMs: 1)),
            (5, MachineLoad(busy: 108, idle: 50.5, diskWait: 1, stolen: 10.5, postgres: 5, server: 25, takers: 32)),
            (10, MachineLoad(busy: 117, idle: 51, diskWait: 1, stolen: 12, postgres: 7, server: 30, takers: 35, writes: 300, writingMs: 150, flushes: 30, flushingMs: 5)),
            (30, MachineLoad(busy: 141, idle: 65, diskWait: 3, stolen: 12, postgres: 7, server: 50, takers: 37, writes: 300, writingMs: 150, flushes: 30, flushingMs: 5)),
        ]
        let shares = outcome.machineShares()
        #expect(shares.map(\.label) == ["over the opening (10 s)", "after it (20 s)"])
        #expect(shares[0].shares == "server 50%, takers 25%, PostgreSQL 10%, everything else 0%, idle 5%, waiting for the disk 0%, stolen 10%; "
                + "the disk: 200 writes at 0.50 ms, 20 flushes at 0.20 ms")
        #expect(shares[1].shares == "server 50%, takers 5%, everything else 5%, idle 35%, waiting for the disk 5%, stolen 0%; "
                + "the disk: 0 writes at 0.00 ms, 0 flushes at 0.00 ms")
        #expect(ExamBenchOutcome().machineShares().isEmpty)
    }

    @Test("serving processes on one machine share the PostgreSQL pool, two connections a loop at least, and one process keeps what it was given")
    func sharedPool() {
        #expect(ExamBench.poolSize(8, sharedBy: 1) == 8)
        #expect(ExamBench.poolSize(8, sharedBy: 2) == 4)
        #expect(ExamBench.poolSize(8, sharedBy: 8) == 2)
        #expect(ExamBench.poolSize(1, sharedBy: 1) == 1)
        #expect(ExamBench.poolSize(1, sharedBy: 4) == 1)
    }
}
