import Fluent
import SQLKit
import Vapor

enum DatabaseTuning {
    /// SQLite in WAL mode lets the web server read while a grading worker writes; the setting is
    /// kept in the file, so once is enough.
    static func apply(_ app: Application) async throws {
        guard case .sqliteFile = app.config.database else { return }
        _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
    }
}

enum MigrationStatus {
    /// Migrations registered in this build that the database has not applied.
    static func pending(_ db: any Database) async throws -> [String] {
        let sql = db as! any SQLDatabase
        let applied: Set<String>
        do {
            applied = Set(try await sql.select().column("name").from("_fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) })
        } catch {
            return Migrations.names
        }
        return Migrations.names.filter { !applied.contains($0) }
    }

    static func requireCurrent(_ app: Application) async throws {
        let pending = try await pending(app.db)
        guard pending.isEmpty else {
            throw CommandFailure("\(pending.count) migrations are pending (\(pending.joined(separator: ", "))); run `cadet migrate` first")
        }
    }
}
