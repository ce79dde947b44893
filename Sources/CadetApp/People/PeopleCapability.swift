import ArgumentParser
import Fluent
import Vapor

/// People and the roles they hold at a scope.
struct PeopleCapability: Capability {
    var migrations: [any Migration] { [CreateRoleGrant()] }

    func routes(_ routes: any RoutesBuilder) {
        PeopleController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        PeopleAPI.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/people", label: "nav.people", order: 70) { user in
            guard let policy = user?.policy else { return false }
            return policy.isOperator || !(policy.staffedProgrammes?.isEmpty ?? false)
        }]
    }

    var commands: [any ParsableCommand.Type] { [UserCommand.self] }
}
