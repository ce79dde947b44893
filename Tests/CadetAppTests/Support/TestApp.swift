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

    /// Whether this run is against PostgreSQL (for messages only: the tests are the same).
    static var databaseName: String {
        ProcessInfo.processInfo.environment["CADET_TEST_DATABASE_URL"] == nil ? "SQLite" : "PostgreSQL"
    }
}
