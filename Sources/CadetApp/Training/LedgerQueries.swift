import CadetCore
import Fluent
import Foundation
import SQLKit

/// Hours ledgers built from the database in three queries per cohort (sessions, members,
/// marks), however many trainees and sessions it has.
struct LedgerQueries {
    let database: any Database
    let now: Date

    private var sql: any SQLDatabase { database as! any SQLDatabase }

    struct SessionRow: Sendable {
        let id: UUID
        let classID: UUID
        let day: CalendarDate
        let minutes: Int
        let endsAt: Date
        let course: String
        let phase: String
    }

    struct Trainee: Sendable {
        let id: UUID
        let name: String
        let email: String
        let classID: UUID
        let className: String
    }

    struct Entry: Sendable {
        let trainee: Trainee
        let ledger: HoursLedger
    }

    func sessions(of cohortID: UUID) async throws -> [SessionRow] {
        try await sql.raw("""
            SELECT s.id, s.class_id, s.day, s.minutes, s.ends_at, c.name AS course, COALESCE(p.name, '') AS phase
              FROM training_sessions s JOIN courses c ON c.id = s.course_id LEFT JOIN cohort_phases p ON p.id = c.phase_id
             WHERE s.cohort_id = \(bind: cohortID) ORDER BY s.starts_at
            """).all().map { row in
            SessionRow(id: try row.decode(column: "id", as: UUID.self), classID: try row.decode(column: "class_id", as: UUID.self),
                       day: CalendarDate(iso: try row.decode(column: "day", as: String.self)) ?? CalendarDate(year: 2000, month: 1, day: 1)!,
                       minutes: try row.decode(column: "minutes", as: Int.self), endsAt: try row.decode(column: "ends_at", as: Date.self),
                       course: try row.decode(column: "course", as: String.self), phase: try row.decode(column: "phase", as: String.self))
        }
    }

    func trainees(of cohortID: UUID, only traineeID: UUID? = nil, classID: UUID? = nil) async throws -> [Trainee] {
        var query = ClassMember.query(on: database).filter(\.$cohort.$id == cohortID).with(\.$user).with(\.$trainingClass)
        if let traineeID { query = query.filter(\.$user.$id == traineeID) }
        if let classID { query = query.filter(\.$trainingClass.$id == classID) }
        return try await query.all().map { m in
            Trainee(id: m.$user.id, name: m.user.name, email: m.user.email, classID: m.$trainingClass.id, className: m.trainingClass.name)
        }.sorted { ($0.className, $0.name, $0.email) < ($1.className, $1.name, $1.email) }
    }

    /// Every mark of the cohort (or of one trainee), by trainee and session. A check-in without
    /// a check-out, once the session is over, counts as absent until staff correct it.
    func marks(of cohortID: UUID, trainee: UUID? = nil) async throws -> [UUID: [UUID: HoursLedger.Mark]] {
        var query = sql.select()
            .columns(SQLColumn("session_id", table: "r"), SQLColumn("trainee_id", table: "r"), SQLColumn("status", table: "r"),
                     SQLColumn("attended_minutes", table: "r"), SQLColumn("check_in_at", table: "r"), SQLColumn("check_out_at", table: "r"),
                     SQLColumn("source", table: "r"), SQLColumn("ends_at", table: "s"))
            .from(SQLAlias(SQLIdentifier(AttendanceRecord.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(TrainingSession.schema), as: SQLIdentifier("s")), on: SQLColumn("session_id", table: "r"), .equal, SQLColumn("id", table: "s"))
            .where(SQLColumn("cohort_id", table: "s"), .equal, SQLBind(cohortID))
        if let trainee { query = query.where(SQLColumn("trainee_id", table: "r"), .equal, SQLBind(trainee)) }
        var result: [UUID: [UUID: HoursLedger.Mark]] = [:]
        for row in try await query.all() {
            let status = AttendanceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notTaken
            let unfinished = try row.decode(column: "source", as: String.self) == AttendanceRecord.Source.checkIn.rawValue
                && (try row.decode(column: "check_out_at", as: Date?.self)) == nil
                && (try row.decode(column: "ends_at", as: Date.self)) <= now
            let mark = unfinished ? HoursLedger.Mark(status: .absent, attendedMinutes: 0)
                : HoursLedger.Mark(status: status, attendedMinutes: try row.decode(column: "attended_minutes", as: Int.self))
            result[try row.decode(column: "trainee_id", as: UUID.self), default: [:]][try row.decode(column: "session_id", as: UUID.self)] = mark
        }
        return result
    }

    /// Ledgers for a cohort's trainees (or one class's, or one trainee's).
    func ledgers(of cohort: Cohort, rules: AttendanceRules, classID: UUID? = nil, trainee: UUID? = nil) async throws -> [Entry] {
        let cohortID = try cohort.requireID()
        let sessions = try await sessions(of: cohortID)
        let byClass = Dictionary(grouping: sessions, by: \.classID)
        let marks = try await marks(of: cohortID, trainee: trainee)
        let start = CalendarDate(iso: cohort.startsOn) ?? sessions.first?.day ?? CalendarDate(now, in: .current)
        return try await trainees(of: cohortID, only: trainee, classID: classID).map { t in
            let own = byClass[t.classID] ?? []
            let mine = marks[t.id] ?? [:]
            let ledger = HoursLedger(sessions: own.map { HoursLedger.Session(date: $0.day, minutes: $0.minutes, course: $0.course, phase: $0.phase, ended: $0.endsAt <= now) },
                                     marks: own.map { mine[$0.id] }, rules: rules, startsOn: start)
            return Entry(trainee: t, ledger: ledger)
        }
    }
}
