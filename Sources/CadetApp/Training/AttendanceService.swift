import CadetCore
import Fluent
import Foundation

/// Taking attendance: staff marking a class's roster, and trainees checking themselves in and
/// out with the code shown in the room. Every mark and every correction is audited.
struct AttendanceService {
    let database: any Database
    let actor: Actor
    let now: Date

    /// What staff set for one trainee: a status, and the minutes attended when they know them.
    struct StaffMark: Sendable, Equatable {
        let status: AttendanceStatus
        let minutes: Int?
    }

    struct Snapshot: Codable, Sendable {
        let status: String
        let minutes: Int
    }

    /// Reads the roster form: `status_<trainee id>` and `minutes_<trainee id>` for each trainee,
    /// and the `reason` for corrections.
    static func marks(_ values: [String: String], trainees: [UUID], maximum: Int) throws(ValidationFailure) -> (marks: [UUID: StaffMark], reason: String?) {
        var reader = FieldReader(values)
        let reason = reader.text("reason", required: false, maxLength: 200)
        var marks: [UUID: StaffMark] = [:]
        for id in trainees {
            let key = id.uuidString.lowercased()
            guard let raw = reader.raw("status_\(key)") else { continue }
            guard let status = AttendanceStatus(rawValue: raw) else { reader.add(FieldIssue("status_\(key)", .unknownChoice)); continue }
            marks[id] = StaffMark(status: status, minutes: reader.integer("minutes_\(key)", required: false, in: 0...maximum))
        }
        try reader.check()
        return (marks, reason)
    }

    /// Saves the roster. Changing a status (or minutes) someone already took needs `reason`,
    /// which the audit record keeps. A session that has not begun cannot be marked.
    @discardableResult
    func mark(_ session: TrainingSession, _ marks: [UUID: StaffMark], reason: String?, rules: AttendanceRules, cohort: Cohort) async throws -> Int {
        guard now >= session.startsAt.addingTimeInterval(-CheckIn.opensBefore) else { throw TrainingError.notOpenYet }
        let sessionID = try session.requireID()
        let existing = Dictionary(try await AttendanceRecord.query(on: database).filter(\.$session.$id == sessionID).all().map { ($0.$trainee.id, $0) },
                                  uniquingKeysWith: { a, _ in a })
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await database.transaction { db in
            var changed = 0
            for (traineeID, mark) in marks {
                let minutes = mark.minutes.map { min($0, session.minutes) } ?? CheckIn.defaultMinutes(for: mark.status, of: session.minutes, rules: rules)
                let record = existing[traineeID]
                if let record, record.status == mark.status, mark.minutes == nil || record.attendedMinutes == minutes { continue }
                let correcting = record.map { $0.status.isTaken } ?? false
                if correcting, (reason ?? "").isEmpty { throw TrainingError.reasonRequired }
                let before = record.map { Snapshot(status: $0.status.rawValue, minutes: $0.attendedMinutes) }
                let row = record ?? AttendanceRecord()
                if record == nil {
                    row.$session.id = sessionID
                    row.$trainee.id = traineeID
                }
                row.status = mark.status
                row.attendedMinutes = mark.status.isTaken ? minutes : 0
                row.source = .staff
                row.note = correcting ? reason : row.note
                row.updatedAt = now
                try await row.save(on: db)
                try await AuditLog.record(AuditEntry(action: correcting ? "attendance.corrected" : "attendance.marked", entityType: "attendance", entityID: row.id,
                                                     summary: "\(session.day) \(mark.status.rawValue)" + (correcting ? ": \(reason ?? "")" : ""),
                                                     programmeID: cohort.$programme.id, cohortID: cohort.id, before: before,
                                                     after: Snapshot(status: row.status.rawValue, minutes: row.attendedMinutes)), by: actor, on: db)
                changed += 1
            }
            return changed
        }
    }

    /// A trainee checks in: from half an hour before the session until it ends, never for one
    /// of another class or another day.
    func checkIn(_ session: TrainingSession, trainee: UUID, rules: AttendanceRules, programmeID: UUID) async throws -> AttendanceRecord {
        guard now >= session.startsAt.addingTimeInterval(-CheckIn.opensBefore) else { throw TrainingError.notOpenYet }
        guard now < session.endsAt else { throw TrainingError.sessionOver }
        let sessionID = try session.requireID()
        let record = try await AttendanceRecord.query(on: database).filter(\.$session.$id == sessionID).filter(\.$trainee.$id == trainee).first()
        // A second check-in (a reload, a second tap) changes nothing.
        if let record, record.checkInAt != nil { return record }
        let late = now.timeIntervalSince(session.startsAt) > Double(rules.lateAfterMinutes * 60)
        let row = record ?? AttendanceRecord()
        row.$session.id = sessionID
        row.$trainee.id = trainee
        row.status = late ? .late : .present
        row.attendedMinutes = 0
        row.checkInAt = now
        row.source = .checkIn
        row.updatedAt = now
        try await database.transaction { db in
            try await row.save(on: db)
            try await AuditLog.record(AuditEntry(action: "attendance.checked_in", entityType: "attendance", entityID: row.id,
                                                 summary: "\(session.day) \(row.status.rawValue)", programmeID: programmeID, cohortID: session.$cohort.id),
                                      by: actor, on: db)
        }
        return row
    }

    /// A trainee checks out: the status and the minutes follow from both times. Until the
    /// session's end and an hour after (a forgotten check-out can still be made on the way home).
    func checkOut(_ session: TrainingSession, trainee: UUID, rules: AttendanceRules, programmeID: UUID) async throws -> AttendanceRecord {
        guard now < session.endsAt.addingTimeInterval(3600) else { throw TrainingError.sessionOver }
        guard let row = try await AttendanceRecord.query(on: database).filter(\.$session.$id == session.requireID()).filter(\.$trainee.$id == trainee).first(),
              let checkIn = row.checkInAt else {
            throw TrainingError.notCheckedIn
        }
        // A status staff already set (a correction) stands; the check-out is only noted.
        if row.source == .checkIn {
            let judged = CheckIn.judge(start: session.startsAt, end: session.endsAt, minutes: session.minutes, checkIn: checkIn, checkOut: now, rules: rules)
            row.status = judged.status
            row.attendedMinutes = judged.attended
        }
        row.checkOutAt = now
        row.updatedAt = now
        try await database.transaction { db in
            try await row.update(on: db)
            try await AuditLog.record(AuditEntry(action: "attendance.checked_out", entityType: "attendance", entityID: row.id,
                                                 summary: "\(session.day) \(row.status.rawValue) \(row.attendedMinutes) min", programmeID: programmeID,
                                                 cohortID: session.$cohort.id), by: actor, on: db)
        }
        return row
    }
}
