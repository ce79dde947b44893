import CadetCore
import Fluent
import Foundation
import SQLKit

/// The demo's training: Gwangju cohorts 1 and 2 and the KAIST cohort get one course per phase,
/// weekday sessions (09:00–18:00 with an hour's lunch) through their dates, and attendance that
/// reproduces their published totals (960, 1,120 and 320 hours; 155 of 180 complete in cohort 1).
struct TrainingDemo {
    let academy: DemoAcademy
    static let cohorts: [(programme: String, cohort: String, tag: String)] = [("gwangju-ai", "c1", "g1"), ("gwangju-ai", "c2", "g2"), ("kaist-mle", "c1", "k1")]
    static let zone = TimeZone(identifier: "Asia/Seoul")!

    func load(on db: any Database) async throws -> Int {
        var created = 0
        for (programmeSlug, cohortSlug, tag) in Self.cohorts {
            guard let programme = try await Programme.query(on: db).filter(\.$slug == programmeSlug).first(),
                  let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == cohortSlug).first(),
                  try await Course.query(on: db).filter(\.$cohort.$id == cohort.id!).count() == 0,
                  let data = academy.programmes.first(where: { $0.draft.slug == programmeSlug })?.cohorts.first(where: { $0.draft.slug == cohortSlug }) else { continue }
            created += try await load(data, cohort: cohort, tag: tag, on: db)
        }
        return created
    }

    private func load(_ data: DemoAcademy.Cohort, cohort: Cohort, tag: String, on db: any Database) async throws -> Int {
        let service = TimetableService(database: db, actor: .demo)
        let phases = try await CohortPhase.query(on: db).filter(\.$cohort.$id == cohort.id!).sort(\.$position).all()
        var courses: [Course] = []
        for phase in phases {
            courses.append(try await service.addCourse(to: cohort, CourseDraft(name: phase.name, plannedHours: phase.hours, phase: phase.id!.uuidString)))
        }
        let pattern = WeeklyPattern(weekdays: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60, breakMinutes: 60,
                                    from: CalendarDate(iso: cohort.startsOn)!, to: CalendarDate(iso: cohort.endsOn)!)
        let draft = TimetableDraft(pattern: pattern, room: nil, onlineLink: nil)
        let classes = try await TrainingClass.query(on: db).filter(\.$cohort.$id == cohort.id!).sort(\.$name).all()
        var created = courses.count
        for trainingClass in classes {
            for course in courses {
                created += try await service.generate(draft, course: course, trainingClass: trainingClass, instructorID: nil, cohort: cohort, zone: Self.zone).days.count
            }
        }
        // Attendance: one plan for the whole cohort, dealt out by class.
        let members = try await ClassMember.query(on: db).filter(\.$cohort.$id == cohort.id!).with(\.$user).all()
        let byEmail = Dictionary(members.map { ($0.user.email, $0) }, uniquingKeysWith: { a, _ in a })
        let trainees = data.trainees.compactMap { byEmail[$0.email] }
        let sessions = Dictionary(grouping: try await TrainingSession.query(on: db).filter(\.$cohort.$id == cohort.id!).sort(\.$startsAt).all(), by: \.$trainingClass.id)
        let days = sessions.values.map(\.count).max() ?? 0
        let plan = DemoAttendance.plan(trainees: trainees.count, days: days, completers: DemoAttendance.completers(forCohort: tag, trainees: trainees.count),
                                       seed: UInt64(abs(tag.hashValueStable)))
        let rules = AttendanceRules.standard
        let sql = db as! any SQLDatabase
        var rows: [[any Encodable & Sendable]] = []
        for (index, member) in trainees.enumerated() {
            for (day, session) in (sessions[member.$trainingClass.id] ?? []).enumerated() where day < plan.statuses[index].count {
                let status = plan.statuses[index][day]
                rows.append([UUID(), session.id!, member.$user.id, status.rawValue, CheckIn.defaultMinutes(for: status, of: session.minutes, rules: rules),
                             AttendanceRecord.Source.staff.rawValue, session.endsAt])
            }
        }
        for chunk in stride(from: 0, to: rows.count, by: 500) {
            var insert = sql.insert(into: AttendanceRecord.schema).columns("id", "session_id", "trainee_id", "status", "attended_minutes", "source", "updated_at")
            for row in rows[chunk..<min(chunk + 500, rows.count)] { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
        }
        return created + rows.count
    }
}

extension String {
    /// A hash that is the same in every process (Swift's own hashValue is seeded per run).
    var hashValueStable: Int64 {
        Int64(bitPattern: utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 })
    }
}
