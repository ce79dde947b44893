import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// Completion: versioned rules per cohort, completion runs that give the reason for every
/// outcome, overrides and departures, certificates (PDF, signed credential, public verify page).
struct CompletionCapability: Capability {
    var migrations: [any Migration] { [CreateCompletion(), CreateSettlement(), CreateAward()] }

    func routes(_ routes: any RoutesBuilder) {
        CompletionController.register(routes)
        CertificatesController.register(routes)
        SettlementController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        CompletionAPI.register(routes)
    }

    var cohortLinks: [CohortLink] {
        [CohortLink(path: "completion", label: "completion.title", order: 20, permission: .viewCompletion),
         CohortLink(path: "settlement", label: "settlement.title", order: 21, permission: .manageSettlement)]
    }

    var navigation: [NavLink] {
        [NavLink("/certificates", label: "nav.certificates", order: 37) { $0?.policy.grants.contains { $0.role == .trainee } == true }]
    }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .bench ? [CertificateBench.self] : []
    }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await CompletionDemo().load(on: db)
    }
}
