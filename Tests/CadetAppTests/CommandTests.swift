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
