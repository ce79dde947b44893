import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// A fresh application and database for one test: in-memory SQLite, or, when
/// CADET_TEST_DATABASE_URL names a PostgreSQL server, a schema of its own that is dropped after.
enum TestApp {
    static func withApp(_ adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void) async throws {
        var config = try AppConfig.testing()
        if config.database.isPostgres { await postgresApps.take() }
        defer { if config.database.isPostgres { Task { await postgresApps.give() } } }
        let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        if config.database.isPostgres { config.databaseSchema = schema }
        adjust(&config)
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config)
            if config.database.isPostgres {
                try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: schema)").run()
            }
            try await app.autoMigrate()
            try await body(app)
        } catch {
            await cleanUp(app, config: config, schema: schema)
            throw error
        }
        await cleanUp(app, config: config, schema: schema)
    }

    private static func cleanUp(_ app: Application, config: AppConfig, schema: String) async {
        if config.database.isPostgres {
            _ = try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }

    /// The suites start their tests all at once, and each application on PostgreSQL holds up to
    /// two connections an event loop (the hot path's and Fluent's): this many applications at a
    /// time stay under CI's `max_connections` of 400.
    private static let postgresApps = Slots(max(4, 300 / (2 * System.coreCount)))

    /// Whether this run is against PostgreSQL (for messages only: the tests are the same).
    static var databaseName: String {
        ProcessInfo.processInfo.environment["CADET_TEST_DATABASE_URL"] == nil ? "SQLite" : "PostgreSQL"
    }
}

/// A counted number of places, waited for in turn.
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        free = count
    }

    func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
