import FluentPostgresDriver
import Foundation

extension ExamTaking {
    /// A start on PostgreSQL: the guarded update and its log entry in one data-modifying `WITH`,
    /// prepared once per connection. Planned at every call it spent a third of its time planning
    /// (`pg_stat_statements`, docs/exams.md), at the opening, when PostgreSQL's core is shortest.
    /// Parameters are cast where PostgreSQL could not tell their type from the statement.
    struct StartOnPostgres: PostgresPreparedStatement {
        static let sql = """
            WITH changed AS (
                UPDATE exam_attempts SET status = 'started', started_at = $2, deadline_at = $3, saves_until = $4,
                       active_session = $5, user_id = $6, last_seen_at = $2
                 WHERE id = $1 AND status = 'prepared' RETURNING id)
            INSERT INTO exam_events (id, attempt_id, kind, detail, address, user_agent, at)
            SELECT $7::uuid, id, 'started', NULL, $8::text, $9::text, $2::timestamptz FROM changed RETURNING attempt_id
            """
        typealias Row = PostgresRow
        let attempt: UUID, now: Date, deadline: Date, savesUntil: Date
        let who: Who

        func makeBindings() throws -> PostgresBindings {
            try PostgresBindings(attempt, now, deadline, savesUntil, who.session, who.owner.userID, UUID(), who.address, who.userAgent.map(loggedAgent))
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// A submission on PostgreSQL, the same way: the taker's own (`who` given: their session,
    /// within the grace) or the deadline's (`who` nil: anyone's open attempt).
    struct CloseOnPostgres: PostgresPreparedStatement {
        static let sql = """
            WITH changed AS (
                UPDATE exam_attempts SET status = 'submitted', submitted_at = $2
                 WHERE id = $1 AND status = 'started'
                   AND ($3::uuid IS NULL OR (user_id = $3 AND active_session = $4 AND saves_until >= $2)) RETURNING id)
            INSERT INTO exam_events (id, attempt_id, kind, detail, address, user_agent, at)
            SELECT $5::uuid, id, 'submitted', $6::text, $7::text, $8::text, $2::timestamptz FROM changed RETURNING attempt_id
            """
        typealias Row = PostgresRow
        let attempt: UUID, now: Date, reason: String
        let who: Who?

        func makeBindings() throws -> PostgresBindings {
            try PostgresBindings(attempt, now, who?.owner.userID, who?.session, UUID(), reason, who?.address, who?.userAgent.map(loggedAgent))
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
