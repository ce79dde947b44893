import ArgumentParser
import Fluent
import Vapor

/// Recruitment rounds, their questions, consent and rubric, applications, uploads and
/// company sponsorships with their nominations.
struct RecruitmentCapability: Capability {
    var migrations: [any Migration] {
        [CreateRecruitmentRound(), CreateRoundQuestion(), CreateConsentVersion(), CreateRubricCriterion(), CreateApplicant(),
         CreateApplicantFile(), CreateSponsorship(), CreateNomination(), AddNominationStatus()]
    }

    func routes(_ routes: any RoutesBuilder) {
        RecruitmentSetupController.register(routes)
        ApplyController.register(routes)
        NominationsController.register(routes)
        SponsorshipsController.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/apply", label: "nav.apply", order: 20) { _ in true },
         NavLink("/applications", label: "nav.applications", order: 30),
         NavLink("/sponsorships", label: "nav.sponsorships", order: 60) { $0?.policy.grants.contains { $0.role == .companyContact } == true }]
    }

    var commands: [any ParsableCommand.Type] { [RoundCommand.self] }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        switch group {
        case .import: [ImportCommand.Applications.self]
        case .report: [ReportCommand.Recruitment.self]
        case .bench: [RecruitmentBench.self]
        }
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await RecruitmentDemo(academy: demo.academy).load(on: db)
    }
}
