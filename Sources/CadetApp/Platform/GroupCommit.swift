import Fluent
import SQLKit
import Synchronization
import Vapor

/// Group commit for SQLite: the writes that arrive while one transaction is being made durable
/// are run together in the next one, so a thousand saves a second cost a handful of `fsync`s
/// instead of a thousand.
///
/// SQLite confirms a commit only once its write-ahead log is on the disk (`synchronous=FULL`);
/// on this project's machines that takes about a millisecond, so one write per transaction caps
/// the whole server near 950 writes a second, whatever the cores. A test morning with 10,000
/// takers asks for more than twice that, and the queue of writes then grows without end (see
/// docs/exams.md). Here the writes run in one shared `BEGIN IMMEDIATE` transaction; if one of
/// them fails, the transaction is rolled back and run again with each write in a savepoint of
/// its own, so that the failing write is refused alone. Nobody is answered before the `COMMIT`
/// that holds their write has returned. There is no timer: a batch is whatever queued
/// while the previous one was committing, so a quiet server commits each write at once.
///
/// On PostgreSQL each write runs directly in a transaction of its own: the server has a pool of
/// connections and commits concurrent transactions together itself.
final class GroupCommit: Sendable {
    typealias Write = @Sendable (any SQLDatabase) async throws -> Void

    private struct Job: Sendable {
        let write: Write
        let done: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
        var transactions = 0
    }

    /// Whether writes are batched (SQLite) or run directly (PostgreSQL, or switched off).
    let batching: Bool
    private let state = Mutex(State())
    /// Most writes in one transaction: bounds how long the first of them waits.
    static let largestBatch = 500

    init(batching: Bool) {
        self.batching = batching
    }

    /// Transactions committed so far (for tests and the bench: fewer than writes means batching).
    var transactions: Int { state.withLock { $0.transactions } }

    /// Runs `write` and returns once it is durable. Inside, `write` must use only the database it
    /// is given: on SQLite that connection holds the write lock until the batch commits. It may
    /// run twice (when another write of its batch fails, the batch is rolled back and run again),
    /// so it must do nothing but its writes and return its result.
    func run<T: Sendable>(on database: any Database, _ write: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard batching else {
            // A transaction of its own, as in a batch: the write's statements (a start and its
            // log entry, a marking's scores) commit together or not at all.
            return try await database.transaction { db in try await write(db as! any SQLDatabase) }
        }
        let result = Mutex<T?>(nil)
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let job = Job(write: { db in
                let value = try await write(db)
                result.withLock { $0 = value }
            }, done: done)
            let startDrain = state.withLock { state -> Bool in
                state.queue.append(job)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrain { Task { await self.drain(database) } }
        }
        return result.withLock { $0! }
    }

    /// Runs a write that is one statement on PostgreSQL and returns once it is durable: batched
    /// like any other on SQLite; on PostgreSQL the statement commits on its own, without a
    /// `BEGIN` and a `COMMIT` around it, which would be two more round trips to the database
    /// server (and two more wake-ups on each side) for every save of the morning.
    func runStatement<T: Sendable>(on database: any Database, _ write: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if batching { return try await run(on: database, write) }
        return try await write(database as! any SQLDatabase)
    }

    /// Commits batches until the queue is empty.
    private func drain(_ database: any Database) async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let taken = Array(state.queue.prefix(Self.largestBatch))
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if batch.isEmpty { return }
            await commit(batch, on: database)
        }
    }

    private func commit(_ batch: [Job], on database: any Database) async {
        let outcomes: [(any Error)?]
        do {
            outcomes = try await database.withConnection { connection in
                let sql = connection as! any SQLDatabase
                if let failure = try await Self.plainly(batch, on: sql) {
                    // Rolled back. A write of its own is refused alone as it is; in a batch,
                    // the others must not pay for it: again, one savepoint a write.
                    if batch.count == 1 { return [failure] }
                    return try await Self.oneSavepointAWrite(batch, on: sql)
                }
                return [(any Error)?](repeating: nil, count: batch.count)
            }
        } catch {
            // The transaction itself failed: nothing in it is durable, and every writer is told.
            for job in batch { job.done.resume(throwing: error) }
            return
        }
        for (job, outcome) in zip(batch, outcomes) {
            if let outcome { job.done.resume(throwing: outcome) } else { job.done.resume() }
        }
        state.withLock { $0.transactions += 1 }
    }

    /// The batch in one transaction with nothing around each write: committed, and nil, when
    /// every write succeeds (nearly always: the morning's writes are guarded updates that report
    /// a refusal as a result, not an error); rolled back, and the first error, when one fails.
    /// A savepoint around each write would cost two statements more a write, each a trip to
    /// SQLite's thread, on every save of the morning.
    ///
    /// The writes are sent all at once rather than one after another: each statement is a trip
    /// from Swift's threads to SQLite's and back, and one at a time the batch (and every read
    /// waiting for the connection it holds) paid for every trip's wake-ups in turn, with the
    /// cores half idle. SQLite's connection is serialised (`SQLITE_OPEN_FULLMUTEX`), so its
    /// threads take the statements one by one; the order does not matter, because the writes of
    /// one batch come from different takers, each of whom waits for their write's answer before
    /// sending the next, and each write is guarded on its own. (Should SQLite end the transaction
    /// itself, on a full disk or an I/O error, writes already sent may commit on their own; their
    /// writers are still told of the failure, and a save or a start sent again finds it done.)
    private static func plainly(_ batch: [Job], on sql: any SQLDatabase) async throws -> (any Error)? {
        try await sql.raw("BEGIN IMMEDIATE").run()
        let failure: (any Error)?
        do {
            failure = await withTaskGroup(of: (any Error)?.self) { group in
                for job in batch {
                    group.addTask {
                        do { try await job.write(sql); return nil } catch { return error }
                    }
                }
                // Every write has finished before the group returns, so none runs after the
                // COMMIT or ROLLBACK below.
                var first: (any Error)?
                for await outcome in group where first == nil { first = outcome }
                return first
            }
            try await sql.raw(failure == nil ? "COMMIT" : "ROLLBACK").run()
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
        return failure
    }

    /// The batch again, each write in a savepoint of its own: a write that fails is rolled back
    /// alone and its writer told, the others commit.
    private static func oneSavepointAWrite(_ batch: [Job], on sql: any SQLDatabase) async throws -> [(any Error)?] {
        var outcomes = [(any Error)?](repeating: nil, count: batch.count)
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            for (index, job) in batch.enumerated() {
                try await sql.raw("SAVEPOINT one_write").run()
                do {
                    try await job.write(sql)
                    try await sql.raw("RELEASE one_write").run()
                } catch {
                    outcomes[index] = error
                    try await sql.raw("ROLLBACK TO one_write").run()
                    try await sql.raw("RELEASE one_write").run()
                }
            }
            try await sql.raw("COMMIT").run()
            return outcomes
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }
}

extension Application {
    private struct GroupCommitKey: StorageKey { typealias Value = GroupCommit }

    /// The writes of the test morning (starts, saves, submissions) go through here.
    var groupCommit: GroupCommit {
        get { configured(GroupCommitKey.self) }
        set { storage[GroupCommitKey.self] = newValue }
    }
}
