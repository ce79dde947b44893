import Fluent
import Vapor

/// A second SQLite connection, for the test morning's hottest reads, beside the one that writes.
///
/// SQLite allows one writer, so `cadet serve` writes through one connection, and the group
/// commit leases it for a whole batch and its `fsync`. A read on that connection (a start's
/// attempt, a paper's saved answers) waited behind every batch; at the opening that wait, not
/// the CPU, set the pace of the starts. In WAL mode a reader on the same file never waits for
/// the writer and sees every commit that has returned, which is all a taker's next request can
/// depend on: nobody is answered before their write's commit.
///
/// Only where `SQLiteThread` gives the writer a thread of its own (one event loop, a file in WAL
/// mode); elsewhere, and on PostgreSQL, the reads go to the application's database as before.
enum SQLiteReads {
    static let id = DatabaseID(string: "sqlite-reads")

    static func use(_ path: String, _ app: Application) {
        guard SQLiteThread.oneLoop(app) else { return }
        app.databases.use(SQLiteThread.onItsOwn(.sqlite(.file(path)), app, ahead: false), as: id, isDefault: false)
        app.storage[Key.self] = true
    }

    private struct Key: StorageKey { typealias Value = Bool }

    static func configured(_ app: Application) -> Bool { app.storage[Key.self] ?? false }
}

extension Request {
    /// Where a taker's attempt and saved answers are read: the reads' own SQLite connection where
    /// there is one (`SQLiteReads`), the application's database otherwise.
    var reads: any Database {
        guard SQLiteReads.configured(application),
              let database = application.databases.database(SQLiteReads.id, logger: logger, on: eventLoop) else { return db }
        return database
    }
}
