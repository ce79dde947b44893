import CadetCore
import Fluent
import Foundation

/// Excused absences: a trainee asks, with evidence; staff approve (within the rules' days per
/// unit period) or refuse; an approval marks the sessions of those days excused.
struct ExcuseService {
    let database: any Database
    let actor: Actor
    let now: Date

    func request(_ draft: ExcuseDraft, evidence: DocumentStore.Stored?, trainee: UUID, cohort: Cohort) async throws -> ExcuseRequest {
        let request = ExcuseRequest()
        request.$cohort.id = try cohort.requireID()
        request.$trainee.id = trainee
        request.firstDay = draft.firstDay.iso
        request.lastDay = draft.lastDay.iso
        request.reason = draft.reason
        request.evidenceName = evidence?.filename
        request.evidenceType = evidence?.contentType
        request.evidenceStorage = evidence?.storageName
        request.status = .pending
        try await database.transaction { db in
            try await request.create(on: db)
            try await AuditLog.record(AuditEntry(action: "attendance.excuse_requested", entityType: "excuse", entityID: request.id,
                                                 summary: "\(draft.firstDay.iso)–\(draft.lastDay.iso)", programmeID: cohort.$programme.id, cohortID: cohort.id),
                                      by: actor, on: db)
        }
        return request
    }

    /// Approving marks every session of the trainee's class on those days excused, unless that
    /// would give them more excused days in a unit period than the rules allow.
    func decide(_ request: ExcuseRequest, approve: Bool, note: String?, rules: AttendanceRules, cohort: Cohort,
                localizer t: Localizer) async throws {
        guard request.status == .pending else { throw RecruitmentError.notAllowedNow }
        let cohortID = try cohort.requireID()
        let sessions = try await sessions(for: request, cohortID: cohortID)
        if approve {
            let start = CalendarDate(iso: cohort.startsOn) ?? request.firstDayDate
            let ledger = try await LedgerQueries(database: database, now: now).ledgers(of: cohort, rules: rules, trainee: request.$trainee.id).first?.ledger
            var adding: [Int: Set<String>] = [:]
            for session in sessions { adding[HoursLedger.period(of: session.date, from: start), default: []].insert(session.day) }
            for (period, days) in adding {
                let already = ledger?.periods.first { $0.index == period }?.excusedDays ?? 0
                if already + days.count > rules.excusedDaysPerPeriod { throw TrainingError.excuseCapReached(rules.excusedDaysPerPeriod) }
            }
        }
        let existing = Dictionary(try await AttendanceRecord.query(on: database).filter(\.$trainee.$id == request.$trainee.id)
            .filter(\.$session.$id ~~ sessions.compactMap(\.id)).all().map { ($0.$session.id, $0) }, uniquingKeysWith: { a, _ in a })
        try await database.transaction { db in
            request.status = approve ? .approved : .rejected
            request.decidedBy = actor.label
            request.decidedAt = now
            request.decisionNote = note
            try await request.update(on: db)
            if approve {
                for session in sessions {
                    let row = existing[session.id!] ?? AttendanceRecord()
                    row.$session.id = session.id!
                    row.$trainee.id = request.$trainee.id
                    row.status = .excused
                    row.attendedMinutes = session.minutes
                    row.source = .excuse
                    row.note = request.reason
                    row.updatedAt = now
                    try await row.save(on: db)
                }
            }
            try await AuditLog.record(AuditEntry(action: approve ? "attendance.excuse_approved" : "attendance.excuse_rejected", entityType: "excuse",
                                                 entityID: request.id, summary: "\(request.firstDay)–\(request.lastDay): \(sessions.count) sessions" + (note.map { ": \($0)" } ?? ""),
                                                 programmeID: cohort.$programme.id, cohortID: cohortID), by: actor, on: db)
            if let trainee = try await User.find(request.$trainee.id, on: db) {
                try await Outbox.enqueue(to: trainee.email, subject: t("mail.excuse.subject"),
                                         body: t(approve ? "mail.excuse.approved" : "mail.excuse.rejected",
                                                 ["name": trainee.name, "from": request.firstDay, "to": request.lastDay, "note": note ?? "—"]),
                                         kind: "excuse_decided", on: db)
            }
        }
    }

    /// The sessions of the trainee's class on the request's days.
    func sessions(for request: ExcuseRequest, cohortID: UUID) async throws -> [TrainingSession] {
        guard let member = try await ClassMember.query(on: database).filter(\.$cohort.$id == cohortID).filter(\.$user.$id == request.$trainee.id).first() else {
            return []
        }
        return try await TrainingSession.query(on: database).filter(\.$trainingClass.$id == member.$trainingClass.id)
            .filter(\.$day >= request.firstDay).filter(\.$day <= request.lastDay).all()
    }
}

extension ExcuseRequest {
    var firstDayDate: CalendarDate { CalendarDate(iso: firstDay)! }
}
