import CadetCore
import Fluent
import Vapor

/// Completion: versioned rules per cohort, completion runs that give the reason for every
/// outcome, overrides and departures, certificates (PDF, signed credential, public verify page).
struct CompletionCapability: Capability {
    var migrations: [any Migration] { [CreateCompletion()] }

    func routes(_ routes: any RoutesBuilder) {
        CompletionController.register(routes)
        CertificatesController.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/certificates", label: "nav.certificates", order: 37) { $0?.policy.grants.contains { $0.role == .trainee } == true }]
    }
}
