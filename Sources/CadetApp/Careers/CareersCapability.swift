import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Careers: graduates' outcomes (with CIRR categories and frozen snapshots) and the funder's
/// report, which counts the whole funnel from the records of every other capability.
struct CareersCapability: Capability {
    var migrations: [any Migration] { [CreateCareers(), CreateOutcomeFollowUps()] }

    func routes(_ routes: any RoutesBuilder) {
        OutcomesController.register(routes)
        FunderReportController.register(routes)
        FollowUpController.register(routes)
    }

    var cohortLinks: [CohortLink] {
        [CohortLink(path: "outcomes", label: "outcomes.title", order: 22, permission: .manageOutcomes)]
    }

    var programmeLinks: [CohortLink] {
        [CohortLink(path: "report", label: "report.title", order: 10, permission: .viewFunderReport)]
    }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .report ? [ReportCommand.Funder.self] : []
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await CareersDemo(academy: demo.academy).load(on: db)
    }
}
