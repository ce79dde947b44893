import ArgumentParser
import Fluent
import Vapor

/// People's accounts: sign-up with a verified address, sign-in, sessions, throttles, password
/// links, API tokens, and the outbox that carries every message.
struct AccountsCapability: Capability {
    var migrations: [any Migration] {
        [CreateUser(), CreateUserSession(), CreateLoginThrottle(), CreatePasswordReset(), CreateOutboxMessage(), AddUserEmailVerified(), AddOutboxSendingLease()]
    }

    func routes(_ routes: any RoutesBuilder) {
        AccountsController.register(routes)
        PasswordController.register(routes)
        AccountController.register(routes)
        OutboxController.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/outbox", label: "nav.outbox", order: 90) { $0?.policy.isOperator == true },
         NavLink("/account", label: "nav.account", order: 100)]
    }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        [OutboxDelivery.job(app)].compactMap { $0 }
    }
}
