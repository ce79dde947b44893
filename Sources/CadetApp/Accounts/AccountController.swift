import CadetCore
import Fluent
import Vapor

/// The signed-in person's own page: their roles and a password change.
enum AccountController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("account", use: show)
        routes.post("account", "password", use: changePassword)
        routes.get("account", "verify", use: verify)
        routes.post("account", "verify", use: resendVerification)
    }

    struct Page: Encodable {
        let page: PageChrome
        let name: String
        let email: String
        let unverified: Bool
        let grants: [PeopleQueries.GrantRow]?
        let form: FormState
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, form: .empty)
    }

    static func render(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let grants = try await PeopleQueries.grantRows(of: user.id, viewer: AccessPolicy(grants: []), t, on: req.db)
        return try await req.render("accounts/account", Page(page: PageChrome(req, title: t("account.title")), name: user.name, email: user.email,
                                                              unverified: !user.emailVerified,
                                                              grants: grants.nilIfEmpty, form: form), status: status)
    }

    @Sendable static func changePassword(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let values = try req.formValues()
        let t = req.localizer
        do {
            try await AccountService(req).changePassword(of: user.id, keeping: user.sessionID, values: values, actor: req.actor)
            return req.redirect(to: "/account", notice: "notice.password_changed")
        } catch let failure as ValidationFailure {
            return try await render(req, form: FormState(values: [:], failure: failure, t), status: .unprocessableEntity)
        } catch let error as AccountError {
            return try await render(req, form: FormState(values: [:], failure: nil, formError: t(error.messageKey), t), status: error.status)
        }
    }

    /// The link from the verification mail. Works signed in or not; it proves the address only.
    @Sendable static func verify(_ req: Request) async throws -> Response {
        let token = (try? req.query.get(String.self, at: "token")) ?? ""
        let user = try await verification(req).verify(token: token, actor: req.actor)
        if req.currentUser?.id == user.id { return req.redirect(to: "/apply", notice: "notice.email_verified") }
        return req.redirect(to: "/signin?next=/apply", notice: "notice.email_verified")
    }

    @Sendable static func resendVerification(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard !user.emailVerified else { return req.redirect(to: "/account") }
        try await ThrottleStore.spendMailRequest(from: req.clientAddress, on: req.db)
        guard let record = try await User.find(user.id, on: req.db) else { throw AccessError.signInRequired }
        try await verification(req).send(to: record, localizer: req.localizer)
        return req.redirect(to: "/account", notice: "notice.verification_sent")
    }

    static func verification(_ req: Request) async throws -> EmailVerification {
        EmailVerification(database: req.db, secret: try await req.application.secrets.key(on: req.db), publicURL: req.application.config.publicURL)
    }
}
