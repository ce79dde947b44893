import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Training: the curriculum and timetable, attendance in hours (rosters, self check-in with a
/// rotating code), excused absences, the hours ledger with its warnings, and calendars.
struct TrainingCapability: Capability {
    var migrations: [any Migration] {
        [CreateCourse(), CreateTrainingSession(), CreateAcademyClosure(), CreateAttendanceRecord(), CreateAttendanceRuleVersion(),
         CreateExcuseRequest(), CreateAttendanceWarning()]
    }

    func routes(_ routes: any RoutesBuilder) {
        TrainingSetupController.register(routes)
        AttendanceController.register(routes)
        CheckInController.register(routes)
        CalendarController.register(routes)
        LedgerController.register(routes)
        ExcusesController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        TrainingAPI.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/checkin", label: "nav.checkin", order: 35) { $0?.policy.grants.contains { $0.role == .trainee } == true },
         NavLink("/calendar", label: "nav.calendar", order: 36) { user in
             user?.policy.grants.contains { [.trainee, .instructor, .teachingAssistant].contains($0.role) } == true
         }]
    }

    var cohortLinks: [CohortLink] {
        [CohortLink(path: "training", label: "training.setup.title", order: 10, permission: .manageTimetable),
         CohortLink(path: "calendar", label: "calendar.cohort_link", order: 11, permission: .takeAttendance),
         CohortLink(path: "ledger", label: "ledger.title", order: 12, permission: .viewLedger),
         CohortLink(path: "at-risk", label: "at_risk.title", order: 13, permission: .viewLedger),
         CohortLink(path: "excuses", label: "excuses.staff_title", order: 14, permission: .decideExcuses)]
    }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        [AttendanceWarnings.job(app)]
    }

    var commands: [any ParsableCommand.Type] { [SessionCommand.self] }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .bench ? [CheckInBench.self] : []
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await TrainingDemo(academy: demo.academy).load(on: db)
    }
}
