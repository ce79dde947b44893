import CadetCore
import Fluent
import FluentPostgresDriver
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// The test morning's statements underneath the pages: the reads and writes each database runs
/// for a taker, prepared once on PostgreSQL, and on which of PostgreSQL's pools they run.
@Suite("The admission test's statements")
struct ExamStatementTests {
    @Test("the attempt's read finds the attempt and nothing else; on PostgreSQL it, the session's read and the save are prepared on the connection rather than planned at each call")
    func plannedOnce() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let taker = try await f.taker()
            _ = try await f.start(taker)
            let session = try #require(try await f.attempt().activeSession)
            let keys = try await f.paperKeys()
            let read = ExamTaking.OwnAttempt(attemptID: f.attemptID)
            let row = try #require(try await read.first(on: app.db))
            #expect(try row.decode(column: "applicant_id", as: UUID.self) == f.seed.alphaAttempt.$applicant.id)
            #expect(try row.decode(column: "version", as: Int.self) == f.exam.version)
            #expect(try await ExamTaking.OwnAttempt(attemptID: UUID()).first(on: app.db) == nil)
            guard app.db is any PostgresDatabase else { return }
            // One connection, asked twice: prepared the first time, kept for the second.
            let userID = try #require(try await f.attempt().userID)
            let (prepared, saved) = try await app.db.withConnection { db in
                _ = try await read.first(on: db)
                _ = try await read.first(on: db)
                #expect(try await SessionMiddleware.SessionRead(tokenHash: "no such token", now: Date()).first(on: db) == nil)
                let save = ExamTaking.SaveOnPostgres(ids: [UUID(), UUID()], keys: [keys[0], keys[1]], values: ["a", "b"], attempt: f.attemptID,
                                                     seq: 4, user: userID, session: session, now: Date())
                let saved = try await (db as! any PostgresDatabase).rows(of: save, logger: db.logger).count
                let prepared = try await (db as! any SQLDatabase).raw("""
                    SELECT count(*) AS n FROM pg_prepared_statements
                     WHERE name IN (\(bind: ExamTaking.OwnAttempt.name), \(bind: ExamTaking.SaveOnPostgres.name), \(bind: SessionMiddleware.SessionRead.name))
                    """).first()!.decode(column: "n", as: Int.self)
                return (prepared, saved)
            }
            #expect(prepared == 3)
            #expect(saved == 2)
            #expect(try await f.answers()[keys[1]]?.value == "b")
        }
    }

    @Test("a start and a submission change the attempt only where it is open, with their log entry; on PostgreSQL each is one statement, prepared on the connection")
    func guardedChanges() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let userID = try #require(f.seed.users[.trainee]?.id)
            let who = ExamTaking.Who(owner: ApplicationOwner(userID: userID, verifiedEmail: nil), session: UUID(), address: "203.0.113.7",
                                     userAgent: String(repeating: "a", count: 300))
            let elsewhere = ExamTaking.Who(owner: who.owner, session: UUID(), address: "198.51.100.1", userAgent: nil)
            // On PostgreSQL on one connection, to find the statements prepared there; SQLite's
            // one connection is the application's.
            let onOneConnection: (@escaping @Sendable (any Database) async throws -> Void) async throws -> Void = { body in
                if app.db is any PostgresDatabase { try await app.db.withConnection { try await body($0) } } else { try await body(app.db) }
            }
            try await onOneConnection { db in
                let taking = ExamTaking(database: db)
                let attempt = { try await #require(try await ExamAttempt.find(f.attemptID, on: db)) }
                let prepared = try await attempt()
                #expect(try await taking.start(prepared, exam: f.exam, who: who).outcome == .started)
                // The same prepared attempt started again (a second click, read before the first
                // was written): the guard finds it started, and it is resumed, not started anew.
                #expect(try await taking.start(prepared, exam: f.exam, who: who).outcome == .resumed)
                let started = try await attempt()
                #expect(started.status == .started && started.activeSession == who.session && started.userID == userID)

                #expect(try await taking.close(f.attemptID, reason: "taker", who: elsewhere) == false)
                let late = try #require(started.savesUntil).addingTimeInterval(1)
                #expect(try await ExamTaking(database: db, now: late).close(f.attemptID, reason: "taker", who: who) == false)
                #expect(try await attempt().status == .started)
                #expect(try await taking.close(f.attemptID, reason: "taker", who: who))
                #expect(try await taking.close(f.attemptID, reason: "deadline", who: nil) == false)

                let events = try await ExamEvent.query(on: db).filter(\.$attempt.$id == f.attemptID).all()
                #expect(events.map(\.kind).sorted() == ["started", "submitted"])
                let submitted = try #require(events.first { $0.kind == "submitted" })
                #expect(submitted.detail == "taker" && submitted.address == "203.0.113.7" && submitted.userAgent?.count == 200)
                #expect(events.first { $0.kind == "started" }?.detail == nil)

                guard db is any PostgresDatabase else { return }
                let names = try await (db as! any SQLDatabase).raw("""
                    SELECT name FROM pg_prepared_statements WHERE name IN (\(bind: ExamTaking.StartOnPostgres.name), \(bind: ExamTaking.CloseOnPostgres.name))
                    """).all().map { try $0.decode(column: "name", as: String.self) }
                #expect(Set(names) == [ExamTaking.StartOnPostgres.name, ExamTaking.CloseOnPostgres.name])
            }
        }
    }

    /// Which pool's connection a statement ran on: the hot path's connections are named.
    struct ConnectionName: PlannedOnce {
        static let sql = "SELECT current_setting('application_name') AS name"
        var parameters: [any PostgresEncodable & Encodable & Sendable] { [] }
    }

    @Test("on PostgreSQL the morning's statements run on the hot path's own pool, in the application's schema; inside a transaction, on its connection")
    func hotPath() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            guard app.db is any PostgresDatabase else {
                #expect(PostgresHotPath.client(of: app.db) == nil)
                return
            }
            let name: @Sendable (any Database) async throws -> String? = { db in try await ConnectionName().first(on: db)?.decode(column: "name", as: String.self) }
            #expect(try await name(app.db) == PostgresHotPath.applicationName)
            // Inside a transaction the read sees the transaction's own change, not yet committed:
            // it would not on another connection.
            try await app.db.transaction { db in
                #expect(try await name(db) != PostgresHotPath.applicationName)
                try await (db as! any SQLDatabase).update(ExamAttempt.schema).set("extra_minutes", to: 7).where("id", .equal, f.attemptID).run()
                let row = try #require(try await ExamTaking.OwnAttempt(attemptID: f.attemptID).first(on: db))
                #expect(try row.decode(column: "extra_minutes", as: Int.self) == 7)
            }
            // Outside one, a start goes through the hot path and writes where Fluent reads: the
            // two pools' connections look in the same schema.
            let userID = try #require(f.seed.users[.trainee]?.id)
            let who = ExamTaking.Who(owner: ApplicationOwner(userID: userID, verifiedEmail: nil), session: UUID(), address: "203.0.113.7", userAgent: nil)
            let prepared = try #require(try await ExamAttempt.find(f.attemptID, on: app.db))
            #expect(try await ExamTaking(database: app.db).start(prepared, exam: f.exam, who: who).outcome == .started)
            let started = try await f.attempt()
            #expect(started.status == .started && started.extraMinutes == 7)
        }
    }
}
