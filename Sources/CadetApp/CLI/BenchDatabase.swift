import Fluent
import Foundation
import SQLKit
import Vapor

/// A database of a bench's own, so a bench never touches real records: on SQLite a fresh file in
/// a scratch folder; on PostgreSQL (when `DATABASE_URL` names one) a schema made for the run and
/// dropped after it, whatever happens. `environment` points a `BenchServer` at the same place.
struct BenchDatabase {
    let config: AppConfig
    let environment: [String: String]
    let scratch: URL

    var name: String { config.database.isPostgres ? "PostgreSQL" : "SQLite" }

    init(_ base: AppConfig, prefix: String) throws {
        var config = base
        config.logLevel = .error
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cadet-\(prefix)-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var environment = ["LOG_LEVEL": "error"]
        if config.database.isPostgres {
            let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            config.databaseSchema = schema
            environment["CADET_DATABASE_SCHEMA"] = schema
        } else {
            let file = scratch.appendingPathComponent("cadet.sqlite").path
            config.database = .sqliteFile(file)
            environment["DATABASE_URL"] = "sqlite://" + file
        }
        self.config = config
        self.environment = environment
    }

    /// Runs `body` on the migrated, tuned scratch database, then removes it.
    func run<T>(_ body: (Application) async throws -> T) async throws -> T {
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try await CommandSupport.withApp(config) { app in
            let sql = app.db as! any SQLDatabase
            if let schema = config.databaseSchema { try await sql.raw("CREATE SCHEMA \(ident: schema)").run() }
            do {
                try await app.autoMigrate()
                try await DatabaseTuning.apply(app)
                let result = try await body(app)
                if let schema = config.databaseSchema { try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
                return result
            } catch {
                if let schema = config.databaseSchema { try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
                throw error
            }
        }
    }
}
