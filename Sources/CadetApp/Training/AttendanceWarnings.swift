import CadetCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// When a trainee crosses a threshold (half a unit period absent, a fifth of all days absent,
/// no longer able to complete, or close to it), the trainee and their class's instructor are
/// told, through the outbox, once per threshold.
enum AttendanceWarnings {
    static func job(_ app: Application) -> BackgroundJob {
        let db = app.db, config = app.config, clock = app.clock
        return .every(.seconds(600), name: "attendance warnings", logger: app.logger) {
            _ = try await send(on: db, now: clock.now(), config: config)
        }
    }

    /// Sends what is due for every cohort that has had a session in the last month; returns
    /// how many warnings went out.
    @discardableResult
    static func send(on db: any Database, now: Date, config: AppConfig) async throws -> Int {
        let today = CalendarDate(now, in: config.timeZone)
        let rows = try await (db as! any SQLDatabase).select().distinct().column("cohort_id").from(TrainingSession.schema)
            .where("day", .greaterThanOrEqual, today.adding(days: -31).iso).where("day", .lessThanOrEqual, today.iso).all()
        var sent = 0
        for row in rows {
            guard let cohort = try await Cohort.find(try row.decode(column: "cohort_id", as: UUID.self), on: db) else { continue }
            sent += try await send(for: cohort, on: db, now: now, config: config)
        }
        return sent
    }

    static func send(for cohort: Cohort, on db: any Database, now: Date, config: AppConfig) async throws -> Int {
        let cohortID = try cohort.requireID()
        let rules = try await AttendanceRulesStore.current(of: cohort.$programme.id, on: db).rules
        let already = Set(try await AttendanceWarning.query(on: db).filter(\.$cohort.$id == cohortID).all().map { "\($0.$trainee.id):\($0.kind)" })
        let instructors = Dictionary(try await TrainingClass.query(on: db).filter(\.$cohort.$id == cohortID).with(\.$instructor).all()
            .map { ($0.id!, $0.instructor) }, uniquingKeysWith: { a, _ in a })
        var sent = 0
        for entry in try await LedgerQueries(database: db, now: now).ledgers(of: cohort, rules: rules) {
            for warning in entry.ledger.warnings.sorted() where !already.contains("\(entry.trainee.id):\(warning.key)") {
                do {
                    try await db.transaction { db in
                        let record = AttendanceWarning()
                        record.$cohort.id = cohortID
                        record.$trainee.id = entry.trainee.id
                        record.kind = warning.key
                        try await record.create(on: db)
                        let trainee = try await User.find(entry.trainee.id, on: db)
                        let t = Localizer(locale: trainee?.locale.flatMap(AppLocale.init(rawValue:)) ?? config.defaultLocale, timeZone: config.timeZone)
                        let text = message(warning, entry: entry, cohort: cohort, t)
                        try await Outbox.enqueue(to: entry.trainee.email, subject: t("mail.attendance_warning.subject", ["cohort": cohort.name]),
                                                 body: t("mail.attendance_warning.body", ["name": entry.trainee.name, "text": text,
                                                                                          "link": config.publicURL.appendingPathComponent("training").absoluteString]),
                                                 kind: "attendance_warning", on: db)
                        if let instructor = instructors[entry.trainee.classID] ?? nil {
                            try await Outbox.enqueue(to: instructor.email, subject: t("mail.attendance_warning.staff_subject", ["trainee": entry.trainee.name]),
                                                     body: t("mail.attendance_warning.staff_body", ["name": instructor.name, "trainee": entry.trainee.name,
                                                                                                    "class": entry.trainee.className, "text": text]),
                                                     kind: "attendance_warning", on: db)
                        }
                        try await AuditLog.record(AuditEntry(action: "attendance.warning_sent", entityType: "user", entityID: entry.trainee.id,
                                                             summary: warning.key, programmeID: cohort.$programme.id, cohortID: cohortID),
                                                  by: Actor(userID: nil, label: "cadet:attendance-warnings"), on: db)
                    }
                } catch let error as any DatabaseError where error.isConstraintFailure {
                    // Another serving process recorded this warning first, and its mail with it.
                    continue
                }
                sent += 1
            }
        }
        return sent
    }

    /// The warning in a sentence, with the trainee's numbers.
    static func message(_ warning: HoursLedger.Warning, entry: LedgerQueries.Entry, cohort: Cohort, _ t: Localizer) -> String {
        let ledger = entry.ledger
        switch warning {
        case .unitAbsence(let period):
            let p = ledger.periods[period]
            return t("warning.unit_absence", ["period": String(period + 1), "from": p.start.iso, "to": p.end.iso, "absent": String(p.absences), "days": String(p.plannedDays)])
        case .totalAbsence:
            return t("warning.total_absence", ["absent": String(ledger.absences), "days": String(ledger.plannedDays)])
        case .cannotComplete:
            return t("warning.cannot_complete", ["required": Hours.text(ledger.requiredMinutes), "possible": Hours.text(ledger.total.attended + ledger.pendingMinutes + ledger.remainingMinutes)])
        case .closeToLimit:
            return t("warning.close_to_limit", ["hours": Hours.text(max(0, ledger.missableMinutes))])
        }
    }
}

/// Minutes shown as hours: `480` is `8`, `90` is `1.5`.
enum Hours {
    static func text(_ minutes: Int) -> String {
        minutes % 60 == 0 ? String(minutes / 60) : String(format: "%.1f", Double(minutes) / 60)
    }

    static func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }
}
