import CadetCore
import Fluent
import Foundation
import SQLKit

/// What staff watch during the window and read afterwards, in a few queries however many take
/// the test.
struct ExamQueries {
    let database: any Database
    var now = Date()

    private var sql: any SQLDatabase { database as! any SQLDatabase }

    /// A taker's page saves at least every 15 seconds; three missed beats is trouble.
    static let silentAfter: TimeInterval = 45

    struct AttemptRow: Sendable {
        let id: UUID
        let number: Int?
        let name: String
        let status: ExamAttempt.Status
        let startedAt: Date?
        let lastSeenAt: Date?
        let deadlineAt: Date?
        let submittedAt: Date?
        let extraMinutes: Int
        let objective: Double?
        let code: Double?
        let total: Double?
        let max: Double?
        let gradedAt: Date?
    }

    func attempts(of examID: UUID, status: ExamAttempt.Status? = nil, limit: Int? = nil) async throws -> [AttemptRow] {
        var query = sql.select()
            .columns(SQLColumn("id", table: "a"), SQLColumn("status", table: "a"), SQLColumn("started_at", table: "a"),
                     SQLColumn("last_seen_at", table: "a"), SQLColumn("deadline_at", table: "a"), SQLColumn("submitted_at", table: "a"),
                     SQLColumn("extra_minutes", table: "a"), SQLColumn("objective_score", table: "a"), SQLColumn("code_score", table: "a"),
                     SQLColumn("total_score", table: "a"), SQLColumn("max_score", table: "a"), SQLColumn("graded_at", table: "a"),
                     SQLColumn("number", table: "p"), SQLColumn("name", table: "p"))
            // Saves with answers do not touch last_seen_at (one statement a save): the latest
            // answer counts as being heard from too.
            .column(SQLRaw("(SELECT MAX(x.saved_at) FROM exam_answers x WHERE x.attempt_id = a.id)"), as: "last_saved")
            .from(SQLAlias(SQLIdentifier(ExamAttempt.schema), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier(Applicant.schema), as: SQLIdentifier("p")), on: SQLColumn("applicant_id", table: "a"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("exam_id", table: "a"), .equal, SQLBind(examID))
        if let status { query = query.where(SQLColumn("status", table: "a"), .equal, SQLBind(status)) }
        let rows = try await query.all().map { row in
            AttemptRow(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int?.self),
                       name: try row.decode(column: "name", as: String.self), status: try row.decode(column: "status", as: ExamAttempt.Status.self),
                       startedAt: try row.decode(column: "started_at", as: Date?.self),
                       lastSeenAt: [try row.decode(column: "last_seen_at", as: Date?.self), try row.decode(column: "last_saved", as: Date?.self)].compactMap { $0 }.max(),
                       deadlineAt: try row.decode(column: "deadline_at", as: Date?.self), submittedAt: try row.decode(column: "submitted_at", as: Date?.self),
                       extraMinutes: try row.decode(column: "extra_minutes", as: Int.self), objective: try row.decode(column: "objective_score", as: Double?.self),
                       code: try row.decode(column: "code_score", as: Double?.self), total: try row.decode(column: "total_score", as: Double?.self),
                       max: try row.decode(column: "max_score", as: Double?.self), gradedAt: try row.decode(column: "graded_at", as: Date?.self))
        }
        guard let limit else { return rows }
        // Those not heard from for longest first.
        return Array(rows.sorted { ($0.lastSeenAt ?? .distantPast) < ($1.lastSeenAt ?? .distantPast) }.prefix(limit))
    }

    func statusCounts(of examID: UUID) async throws -> [String: Int] {
        let rows = try await sql.select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ExamAttempt.schema).where("exam_id", .equal, examID).groupBy("status").all()
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        return counts
    }

    /// Per attempt: how often each kind of event happened (focus lost, paste, offline…).
    func eventCounts(of examID: UUID, since: Date? = nil) async throws -> [UUID: [String: Int]] {
        var query = sql.select().column(SQLColumn("attempt_id", table: "e")).column(SQLColumn("kind", table: "e"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier(ExamEvent.schema), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier(ExamAttempt.schema), as: SQLIdentifier("a")), on: SQLColumn("attempt_id", table: "e"), .equal, SQLColumn("id", table: "a"))
            .where(SQLColumn("exam_id", table: "a"), .equal, SQLBind(examID))
        if let since { query = query.where(SQLColumn("at", table: "e"), .greaterThan, SQLBind(since)) }
        let rows = try await query.groupBy(SQLColumn("attempt_id", table: "e")).groupBy(SQLColumn("kind", table: "e")).all()
        var counts: [UUID: [String: Int]] = [:]
        for row in rows {
            counts[try row.decode(column: "attempt_id", as: UUID.self), default: [:]][try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Per attempt: how many addresses and browsers it was used from.
    func places(of examID: UUID) async throws -> [UUID: (addresses: Int, browsers: Int)] {
        let rows = try await sql.raw("""
            SELECT e.attempt_id, COUNT(DISTINCT e.address) AS addresses, COUNT(DISTINCT e.user_agent) AS browsers
              FROM exam_events e JOIN exam_attempts a ON a.id = e.attempt_id
             WHERE a.exam_id = \(bind: examID) AND e.address IS NOT NULL
             GROUP BY e.attempt_id
            """).all()
        var result: [UUID: (Int, Int)] = [:]
        for row in rows {
            result[try row.decode(column: "attempt_id", as: UUID.self)] = (try row.decode(column: "addresses", as: Int.self), try row.decode(column: "browsers", as: Int.self))
        }
        return result
    }

    /// Pairs of code answers to the same question that are suspiciously alike.
    func similarPairs(of examID: UUID, definition: ExamDefinition) async throws -> [(question: String, pair: CodeSimilarity.Pair)] {
        var found: [(String, CodeSimilarity.Pair)] = []
        let coding = definition.questions.values.filter { $0.kind == .coding }.map(\.key).sorted()
        for key in coding {
            let rows = try await sql.raw("""
                SELECT x.attempt_id, x.value FROM exam_answers x JOIN exam_attempts a ON a.id = x.attempt_id
                 WHERE a.exam_id = \(bind: examID) AND x.question_key = \(bind: key) AND a.status = 'submitted'
                """).all()
            let answers = try rows.map { (id: try $0.decode(column: "attempt_id", as: UUID.self).uuidString, source: try $0.decode(column: "value", as: String.self)) }
            found += CodeSimilarity.pairs(answers).prefix(100).map { (key, $0) }
        }
        return found
    }
}
