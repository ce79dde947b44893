import Fluent
import NIOConcurrencyHelpers
import Foundation
import SQLKit
import Vapor

/// Every few seconds: submits attempts whose time (and grace) is up, from their saved answers,
/// and completes the marks of attempts whose grading has finished but was not yet copied in
/// (a worker killed between the two, say). Several servers may sweep at once: every step is a
/// conditional update that only one of them wins.
enum ExamSweeper {
    static func job(_ app: Application, interval: Duration = .seconds(5)) -> BackgroundJob {
        let db = app.db, logger = app.logger
        return .every(interval, name: "exam sweep", logger: logger) {
            let swept = try await sweep(on: db)
            if swept.submitted + swept.finalised > 0 {
                logger.info("exam sweep", metadata: ["submitted": .stringConvertible(swept.submitted), "finalised": .stringConvertible(swept.finalised)])
            }
        }
    }

    static func sweep(on db: any Database, now: Date = Date()) async throws -> (submitted: Int, finalised: Int) {
        let sql = db as! any SQLDatabase
        let expired = try await sql.select().column("id").from(ExamAttempt.schema)
            .where("status", .equal, ExamAttempt.Status.started.rawValue).where("saves_until", .lessThan, now)
            .limit(500).all().map { try $0.decode(column: "id", as: UUID.self) }
        var submitted = 0
        for id in expired where try await ExamTaking(database: db, now: now).submit(id, reason: "deadline", who: nil) {
            submitted += 1
        }
        // Marking that a killed server left unfinished (it is quick; the submission did the rest).
        let unmarked = try await sql.select().column("id").from(ExamAttempt.schema)
            .where("status", .equal, ExamAttempt.Status.submitted.rawValue).where("objective_score", .is, SQLLiteral.null)
            .where("submitted_at", .lessThan, now.addingTimeInterval(-60))
            .limit(500).all().map { try $0.decode(column: "id", as: UUID.self) }
        for id in unmarked { try await ExamGrading(database: db).grade(id) }
        let ready = try await sql.raw("""
            SELECT a.id FROM exam_attempts a
             WHERE a.status = 'submitted' AND a.graded_at IS NULL
               AND a.objective_score IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exam_answers x JOIN grading_jobs j ON j.id = x.grading_job_id
                                WHERE x.attempt_id = a.id AND j.status IN ('queued', 'leased'))
             LIMIT 500
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        for id in ready { try await ExamGrading(database: db).finalise(id, on: db) }
        return (submitted, ready.count)
    }
}
