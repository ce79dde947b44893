import Fluent
import Vapor

/// The audit log: who changed what, when, with before and after.
struct AuditCapability: Capability {
    var migrations: [any Migration] { [CreateAuditEvent()] }

    func routes(_ routes: any RoutesBuilder) {
        AuditController.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/audit", label: "nav.audit", order: 80) { user in
            guard let policy = user?.policy else { return false }
            return policy.isOperator || !(policy.staffedProgrammes?.isEmpty ?? false)
        }]
    }
}
