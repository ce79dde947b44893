import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Projects: team projects (common, corporate and free-topic; proposals, rankings, the matching,
/// mentors) and hackathons with machine-learning leaderboards (hidden labels, a fixed
/// public/private split, a daily cap, final choices, a reveal), scored off the request path.
struct ProjectsCapability: Capability {
    var migrations: [any Migration] { [CreateHackathons(), CreateProjectTeams(), CreateShowcases(), CreateMilestones(), AddHackathonCode()] }

    func routes(_ routes: any RoutesBuilder) {
        HackathonAdminController.register(routes)
        HackathonController.register(routes)
        ProjectsAdminController.register(routes)
        ProjectsController.register(routes)
        MilestonesController.register(routes)
        ShowcaseAdminController.register(routes)
        JudgingController.register(routes)
        ShowcasePublicController.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/projects", label: "nav.projects", order: 37) { $0?.policy.grants.contains { $0.role == .trainee || $0.role == .companyContact } == true },
         NavLink("/hackathons", label: "nav.hackathons", order: 38) { $0?.policy.grants.contains { $0.role == .trainee } == true },
         NavLink("/judging", label: "nav.judging", order: 39) { $0?.policy.grants.contains { [.committeeMember, .mentor, .companyContact].contains($0.role) } == true }]
    }

    var cohortLinks: [CohortLink] {
        [CohortLink(path: "projects", label: "projects.title", order: 14, permission: .viewProjects),
         CohortLink(path: "hackathons", label: "hackathons.title", order: 15, permission: .viewHackathons),
         CohortLink(path: "showcase", label: "showcase.title", order: 16, permission: .viewProjects)]
    }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        [LeaderboardScorer.job(app)]
    }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .bench ? [LeaderboardBench.self] : []
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await ProjectsDemo().load(on: db) + HackathonDemo().load(on: db)
    }
}
