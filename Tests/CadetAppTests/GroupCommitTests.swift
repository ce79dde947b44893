import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
@testable import CadetApp

@Suite("Group commit")
struct GroupCommitTests {
    /// Three hundred writers at once, one in ten trying a value that is already taken: each is
    /// told its own outcome, the refused ones leave nothing behind, the others are there to be
    /// read the moment they are confirmed, and on SQLite far fewer transactions than writes.
    /// On PostgreSQL, where writes run directly, twenty: more at once test the connection pool's
    /// ten-second wait on a loaded CI machine, not this code (sixty timed out there on 2 December,
    /// with the test suites' one connection per event loop).
    @Test("concurrent writes share transactions; a failing write is rolled back alone")
    func batches() async throws {
        try await TestApp.withApp { app in
            let sql = app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE group_commit_probe (n INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)").run()
            try await sql.raw("INSERT INTO group_commit_probe (n, v) VALUES (-1, 'taken')").run()
            let commit = app.groupCommit
            let before = commit.transactions
            let writers = app.config.database.isPostgres ? 20 : 300
            let (outcomes, failures) = await withTaskGroup(of: (Int, Bool, String?).self) { group in
                for n in 0..<writers {
                    group.addTask {
                        let value = n % 10 == 0 ? "taken" : "v\(n)"
                        do {
                            try await commit.run(on: app.db) { db in
                                try await db.raw("INSERT INTO group_commit_probe (n, v) VALUES (\(bind: n), \(bind: value))").run()
                            }
                            // Confirmed means committed: another connection sees it at once.
                            let seen = try await (app.db as! any SQLDatabase).raw("SELECT n FROM group_commit_probe WHERE n = \(bind: n)").all()
                            return (n, seen.count == 1, nil)
                        } catch {
                            return (n, false, "\(n): \(String(reflecting: error))")
                        }
                    }
                }
                var all: [Int: Bool] = [:]
                var failures: [String] = []
                for await (n, ok, failure) in group {
                    all[n] = ok
                    if n % 10 != 0, let failure { failures.append(failure) }
                }
                return (all, failures)
            }
            #expect(outcomes.count == writers)
            #expect(outcomes.filter { $0.key % 10 == 0 }.allSatisfy { !$0.value })
            #expect(outcomes.filter { $0.key % 10 != 0 }.allSatisfy { $0.value }, "\(failures.prefix(3))")
            let rows = try await sql.raw("SELECT n FROM group_commit_probe WHERE n >= 0").all().map { try $0.decode(column: "n", as: Int.self) }
            #expect(Set(rows) == Set((0..<writers).filter { $0 % 10 != 0 }))
            if !app.config.database.isPostgres {
                let used = commit.transactions - before
                #expect(used > 0 && used < 150, "300 writes took \(used) transactions")
            }
        }
    }

    /// A batch runs without a savepoint around each write; when one write fails, the batch is
    /// rolled back and run again. The writes that ran in the rolled-back pass must count once,
    /// and the failing write's own statements must leave nothing.
    @Test("when one write of a batch fails, the others run again and count once; when none fails, each runs once")
    func rerun() async throws {
        try await TestApp.withApp { app in
            let sql = app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE group_commit_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await sql.raw("INSERT INTO group_commit_counter (id, n) VALUES (1, 0)").run()
            struct Refused: Error {}
            final class Runs: Sendable { let count = Atomic<Int>(0) }
            let commit = app.groupCommit
            let writers = app.config.database.isPostgres ? 20 : 200
            func day(failing: @escaping @Sendable (Int) -> Bool) async -> (runs: Int, refused: Set<Int>) {
                let runs = Runs()
                let refused = await withTaskGroup(of: Int?.self) { group in
                    for k in 0..<writers {
                        group.addTask {
                            do {
                                try await commit.run(on: app.db) { db in
                                    runs.count.add(1, ordering: .relaxed)
                                    try await db.raw("UPDATE group_commit_counter SET n = n + 1 WHERE id = 1").run()
                                    if failing(k) { throw Refused() }
                                }
                                return nil
                            } catch { return error is Refused ? k : -1 }
                        }
                    }
                    var refused: Set<Int> = []
                    for await k in group { if let k { refused.insert(k) } }
                    return refused
                }
                return (runs.count.load(ordering: .relaxed), refused)
            }
            func count() async throws -> Int {
                try await sql.raw("SELECT n FROM group_commit_counter WHERE id = 1").first()!.decode(column: "n", as: Int.self)
            }

            let calm = await day { _ in false }
            #expect(calm.refused.isEmpty)
            #expect(calm.runs == writers, "with nothing failing each write runs once")
            #expect(try await count() == writers)

            let failing = await day { $0 % 50 == 7 }
            #expect(failing.refused == Set((0..<writers).filter { $0 % 50 == 7 }))
            #expect(try await count() == writers + writers - failing.refused.count, "each write that succeeded counts once")
            #expect(failing.runs >= writers && failing.runs <= 2 * writers)
        }
    }

    /// The writes of one batch are sent to SQLite together rather than one after another (each
    /// statement is a trip between Swift's threads and SQLite's). A first write holds the
    /// connection until the others have asked; they then make one batch, and each waits until
    /// another of them is under way too, which one after another never happens.
    @Test("the writes of one batch are under way together, not one after another")
    func together() async throws {
        try await TestApp.withApp { app in
            final class Probe: Sendable {
                let holding = Atomic<Bool>(false), asked = Atomic<Int>(0), underWay = Atomic<Int>(0), most = Atomic<Int>(0)
            }
            let (probe, commit, others) = (Probe(), app.groupCommit, 4)
            async let held: Void = commit.run(on: app.db) { db in
                probe.holding.store(true, ordering: .relaxed)
                for _ in 0..<500 where probe.asked.load(ordering: .relaxed) < others { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(50))
            }
            while !probe.holding.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
            let company = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<others {
                    group.addTask {
                        probe.asked.add(1, ordering: .relaxed)
                        return try await commit.run(on: app.db) { db in
                            try await db.raw("SELECT 1").run()
                            let now = probe.underWay.add(1, ordering: .relaxed).newValue
                            probe.most.max(now, ordering: .relaxed)
                            for _ in 0..<200 where probe.most.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(10)) }
                            probe.underWay.subtract(1, ordering: .relaxed)
                            return probe.most.load(ordering: .relaxed)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            try await held
            #expect(company.count == others)
            #expect(company.allSatisfy { $0 >= 2 }, "most writes under way at once: \(company)")
        }
    }

    @Test("a write's result comes back to its caller")
    func results() async throws {
        try await TestApp.withApp { app in
            let value = try await app.groupCommit.run(on: app.db) { db in
                try await db.raw("SELECT 41 + 1 AS answer").first()?.decode(column: "answer", as: Int.self)
            }
            #expect(value == 42)
        }
    }
}
