import CadetCore
import Fluent
import SQLKit
import Foundation

/// The curriculum's courses, the sessions generated from weekly patterns, and the academy's
/// closures. Every change is audited.
struct TimetableService {
    let database: any Database
    let actor: Actor

    func addCourse(to cohort: Cohort, _ draft: CourseDraft) async throws -> Course {
        let cohortID = try cohort.requireID()
        if try await Course.query(on: database).filter(\.$cohort.$id == cohortID).filter(\.$name == draft.name).first() != nil {
            throw ValidationFailure([FieldIssue("name", .alreadyTaken)])
        }
        var phaseID: UUID?
        if let raw = draft.phase, !raw.isEmpty {
            guard let id = UUID(uuidString: raw), try await CohortPhase.query(on: database).filter(\.$id == id).filter(\.$cohort.$id == cohortID).first() != nil else {
                throw ValidationFailure([FieldIssue("phase", .unknownChoice)])
            }
            phaseID = id
        }
        let course = Course()
        course.$cohort.id = cohortID
        course.$phase.id = phaseID
        course.name = draft.name
        course.plannedHours = draft.plannedHours
        course.position = (try await Course.query(on: database).filter(\.$cohort.$id == cohortID).max(\.$position) ?? 0) + 1
        try await database.transaction { db in
            try await course.create(on: db)
            try await AuditLog.record(AuditEntry(action: "training.course_added", entityType: "course", entityID: course.id,
                                                 summary: "\(draft.name): \(draft.plannedHours) h", programmeID: cohort.$programme.id, cohortID: cohortID),
                                      by: actor, on: db)
        }
        return course
    }

    func removeCourse(_ course: Course, cohort: Cohort) async throws {
        guard try await TrainingSession.query(on: database).filter(\.$course.$id == course.requireID()).count() == 0 else {
            throw TrainingError.courseHasSessions
        }
        try await database.transaction { db in
            try await course.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "training.course_removed", entityType: "course", entityID: course.id, summary: course.name,
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id), by: actor, on: db)
        }
    }

    /// Makes the class's sessions of a course from a weekly pattern, skipping holidays, closures
    /// and days the class already has, until the course has all its hours.
    func generate(_ draft: TimetableDraft, course: Course, trainingClass: TrainingClass, instructorID: UUID?, cohort: Cohort,
                  zone: TimeZone) async throws -> Timetable.Plan {
        let classID = try trainingClass.requireID(), courseID = try course.requireID()
        let existing = try await TrainingSession.query(on: database).filter(\.$trainingClass.$id == classID).all()
        let scheduled = existing.filter { $0.$course.id == courseID }.reduce(0) { $0 + $1.minutes }
        let closures = try await Self.closures(of: cohort.$programme.id, on: database)
        let plan = Timetable.plan(draft.pattern, closures: closures, taken: Set(existing.map(\.date)), remaining: course.plannedHours * 60 - scheduled)
        let sessions = plan.days.map { day -> TrainingSession in
            let session = TrainingSession()
            session.$cohort.id = cohort.id!
            session.$trainingClass.id = classID
            session.$course.id = courseID
            session.day = day.iso
            session.startsAt = day.moment(atMinute: draft.pattern.startMinute, in: zone)
            session.endsAt = day.moment(atMinute: draft.pattern.endMinute, in: zone)
            session.minutes = draft.pattern.minutes
            session.room = draft.room
            session.onlineLink = draft.onlineLink
            session.$instructor.id = instructorID ?? trainingClass.$instructor.id
            return session
        }
        try await database.transaction { db in
            for chunk in stride(from: 0, to: sessions.count, by: 200) { try await Array(sessions[chunk..<min(chunk + 200, sessions.count)]).create(on: db) }
            try await AuditLog.record(AuditEntry(action: "training.sessions_generated", entityType: "class", entityID: classID,
                                                 summary: "\(trainingClass.name) · \(course.name): \(sessions.count) sessions \(plan.days.first?.iso ?? "")–\(plan.days.last?.iso ?? ""), \(plan.skipped.count) days skipped",
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id), by: actor, on: db)
        }
        return plan
    }

    /// One session on a given day, holiday or not (a make-up day); none if the class already
    /// has a session then.
    func addSession(on day: CalendarDate, _ draft: TimetableDraft, course: Course, trainingClass: TrainingClass, cohort: Cohort, zone: TimeZone) async throws -> Int {
        let startsAt = day.moment(atMinute: draft.pattern.startMinute, in: zone)
        if try await TrainingSession.query(on: database).filter(\.$trainingClass.$id == trainingClass.requireID()).filter(\.$startsAt == startsAt).first() != nil { return 0 }
        let session = TrainingSession()
        session.$cohort.id = try cohort.requireID()
        session.$trainingClass.id = try trainingClass.requireID()
        session.$course.id = try course.requireID()
        session.day = day.iso
        session.startsAt = startsAt
        session.endsAt = day.moment(atMinute: draft.pattern.endMinute, in: zone)
        session.minutes = draft.pattern.minutes
        session.room = draft.room
        session.onlineLink = draft.onlineLink
        session.$instructor.id = trainingClass.$instructor.id
        try await database.transaction { db in
            try await session.create(on: db)
            try await AuditLog.record(AuditEntry(action: "training.session_added", entityType: "session", entityID: session.id,
                                                 summary: "\(trainingClass.name) · \(course.name): \(day.iso)", programmeID: cohort.$programme.id, cohortID: cohort.id),
                                      by: actor, on: db)
        }
        return 1
    }

    func removeSession(_ session: TrainingSession, cohort: Cohort) async throws {
        try await database.transaction { db in
            try await session.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "training.session_removed", entityType: "session", entityID: session.id,
                                                 summary: "\(session.day) \(session.$course.id)", programmeID: cohort.$programme.id, cohortID: cohort.id),
                                      by: actor, on: db)
        }
    }

    func addClosure(to programme: Programme, day: CalendarDate, reason: String) async throws {
        let programmeID = try programme.requireID()
        if try await AcademyClosure.query(on: database).filter(\.$programme.$id == programmeID).filter(\.$day == day.iso).first() != nil {
            throw ValidationFailure([FieldIssue("day", .alreadyTaken)])
        }
        let closure = AcademyClosure()
        closure.$programme.id = programmeID
        closure.day = day.iso
        closure.reason = reason
        try await database.transaction { db in
            try await closure.create(on: db)
            try await AuditLog.record(AuditEntry(action: "training.closure_added", entityType: "programme", entityID: programmeID,
                                                 summary: "\(day.iso): \(reason)", programmeID: programmeID), by: actor, on: db)
        }
    }

    static func closures(of programmeID: UUID, on db: any Database) async throws -> [CalendarDate: String] {
        Dictionary(try await AcademyClosure.query(on: db).filter(\.$programme.$id == programmeID).all().compactMap { c in
            CalendarDate(iso: c.day).map { ($0, c.reason) }
        }, uniquingKeysWith: { a, _ in a })
    }
}

/// A programme's attendance rules, versioned.
enum AttendanceRulesStore {
    /// The latest version, or the standard rules (version 0) when none was saved.
    static func current(of programmeID: UUID, on db: any Database) async throws -> (version: Int, rules: AttendanceRules) {
        guard let latest = try await AttendanceRuleVersion.query(on: db).filter(\.$programme.$id == programmeID).sort(\.$version, .descending).first() else {
            return (0, .standard)
        }
        return (latest.version, latest.rules)
    }

    /// The cohort's programme and the rules in force there, in one statement (check-ins ask on
    /// every request).
    static func current(ofCohort cohortID: UUID, on db: any Database) async throws -> (programmeID: UUID, version: Int, rules: AttendanceRules)? {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT c.programme_id, v.version, v.rules_json FROM cohorts c
              LEFT JOIN attendance_rule_versions v ON v.programme_id = c.programme_id
             WHERE c.id = \(bind: cohortID) ORDER BY v.version DESC LIMIT 1
            """).first() else { return nil }
        let version = try row.decode(column: "version", as: Int?.self) ?? 0
        let rules = try row.decode(column: "rules_json", as: String?.self).flatMap { try? JSONDecoder().decode(AttendanceRules.self, from: Data($0.utf8)) } ?? .standard
        return (try row.decode(column: "programme_id", as: UUID.self), version, rules)
    }

    static func save(_ rules: AttendanceRules, for programme: Programme, by actor: Actor, on db: any Database) async throws -> Int {
        let programmeID = try programme.requireID()
        let (version, before) = try await current(of: programmeID, on: db)
        let next = AttendanceRuleVersion()
        next.$programme.id = programmeID
        next.version = version + 1
        next.rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        next.createdBy = actor.label
        try await db.transaction { db in
            try await next.create(on: db)
            try await AuditLog.record(AuditEntry(action: "attendance.rules_changed", entityType: "programme", entityID: programmeID,
                                                 summary: "version \(version + 1)", programmeID: programmeID, before: before, after: rules), by: actor, on: db)
        }
        return version + 1
    }
}
