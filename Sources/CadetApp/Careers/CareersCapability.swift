import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Careers: graduates' outcomes (with CIRR categories and frozen snapshots) and the funder's
/// report, which counts the whole funnel from the records of every other capability.
struct CareersCapability: Capability {
    var migrations: [any Migration] { [CreateCareers(), CreateOutcomeFollowUps(), CreateHiring(), CreateRecruitDays(), CreateFunderReportIndex(), AddOutcomeEvidence()] }

    func routes(_ routes: any RoutesBuilder) {
        OutcomesController.register(routes)
        FunderReportController.register(routes)
        FollowUpController.register(routes)
        HiringController.register(routes)
        JobsController.register(routes)
        RecruitDaysController.register(routes)
    }

    var cohortLinks: [CohortLink] {
        [CohortLink(path: "outcomes", label: "outcomes.title", order: 22, permission: .manageOutcomes)]
    }

    var programmeLinks: [CohortLink] {
        [CohortLink(path: "report", label: "report.title", order: 10, permission: .viewFunderReport),
         CohortLink(path: "companies", label: "hiring.title", order: 11, permission: .manageHiring),
         CohortLink(path: "recruit-days", label: "recruit_days.title", order: 12, permission: .manageHiring)]
    }

    var navigation: [NavLink] {
        [NavLink("/jobs", label: "nav.jobs", order: 39) { $0?.policy.grants.contains { $0.role == .trainee } == true }]
    }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        switch group {
        case .report: [ReportCommand.Funder.self]
        case .bench: [FunderReportBench.self]
        case .import: []
        }
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await CareersDemo(academy: demo.academy).load(on: db) + HiringDemo().load(on: db)
    }
}
