import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Projects: hackathons with machine-learning leaderboards (hidden labels, a fixed public/private
/// split, a daily cap, final choices, a reveal), scored off the request path.
struct ProjectsCapability: Capability {
    var migrations: [any Migration] { [CreateHackathons()] }

    func routes(_ routes: any RoutesBuilder) {
        HackathonAdminController.register(routes)
        HackathonController.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/hackathons", label: "nav.hackathons", order: 38) { $0?.policy.grants.contains { $0.role == .trainee } == true }]
    }

    var cohortLinks: [CohortLink] {
        [CohortLink(path: "hackathons", label: "hackathons.title", order: 15, permission: .viewHackathons)]
    }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        [LeaderboardScorer.job(app)]
    }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .bench ? [LeaderboardBench.self] : []
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await HackathonDemo().load(on: db)
    }
}
