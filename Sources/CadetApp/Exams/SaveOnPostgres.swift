import FluentPostgresDriver
import Foundation

extension ExamTaking {
    /// A save on PostgreSQL, prepared once per connection: planning the statement cost about as
    /// much as running it (docs/exams.md). The answers go as arrays, so that the statement is
    /// the same whatever their number; the check waits for a submission in progress (`FOR
    /// SHARE`) rather than reading past it.
    struct SaveOnPostgres: PostgresPreparedStatement {
        static let keepingTheHighestSeq = """
            ON CONFLICT (attempt_id, question_key) DO UPDATE SET
               value = CASE WHEN exam_answers.seq < excluded.seq THEN excluded.value ELSE exam_answers.value END,
               saved_at = CASE WHEN exam_answers.seq < excluded.seq THEN excluded.saved_at ELSE exam_answers.saved_at END,
               seq = CASE WHEN exam_answers.seq < excluded.seq THEN excluded.seq ELSE exam_answers.seq END
            """
        static let sql = """
            INSERT INTO exam_answers (id, attempt_id, question_key, value, seq, saved_at)
            SELECT v.id, $4, v.key, v.value, $5, $8 FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, key, value)
             WHERE EXISTS (SELECT 1 FROM exam_attempts a WHERE a.id = $4 AND a.user_id = $6 AND a.active_session = $7
                              AND a.status = 'started' AND a.saves_until >= $8 FOR SHARE)
            \(keepingTheHighestSeq)
            RETURNING question_key, (SELECT deadline_at FROM exam_attempts WHERE id = $4) AS deadline_at
            """
        typealias Row = PostgresRow
        let ids: [UUID], keys: [String], values: [String]
        let attempt: UUID, seq: Int, user: UUID, session: UUID, now: Date

        func makeBindings() throws -> PostgresBindings {
            try PostgresBindings(ids, keys, values, attempt, seq, user, session, now)
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
