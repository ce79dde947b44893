import CadetCore
import Vapor

/// Forgotten passwords, reset links, and changing one's own password.
enum PasswordController {
    struct Page: Encodable {
        let page: PageChrome
        let form: FormState
        var token: String?
        var sent = false
    }

    static func register(_ routes: any RoutesBuilder) {
        routes.get("password", "forgot", use: forgotForm)
        routes.post("password", "forgot", use: forgot)
        routes.get("password", "reset", use: resetForm)
        routes.post("password", "reset", use: reset)
    }

    static func service(_ req: Request) -> PasswordResetService {
        PasswordResetService(database: req.db, hasher: PasswordHasher(req.application), publicURL: req.application.config.publicURL)
    }

    @Sendable static func forgotForm(_ req: Request) async throws -> Response {
        try await req.render("accounts/forgot", Page(page: PageChrome(req, title: req.localizer("forgot.title")), form: .empty))
    }

    @Sendable static func forgot(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        try await ThrottleStore.spendMailRequest(from: req.clientAddress, on: req.db)
        try await service(req).requestLink(email: values["email"] ?? "", localizer: req.localizer, actor: req.actor)
        return try await req.render("accounts/forgot", Page(page: PageChrome(req, title: req.localizer("forgot.title")), form: .empty, sent: true))
    }

    @Sendable static func resetForm(_ req: Request) async throws -> Response {
        let token = (try? req.query.get(String.self, at: "token")) ?? ""
        guard try await service(req).isUsable(token: token) else { throw AccountError.resetLinkInvalid }
        return try await req.render("accounts/reset", Page(page: PageChrome(req, title: req.localizer("reset.title")), form: .empty, token: token))
    }

    @Sendable static func reset(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        let token = values["token"] ?? ""
        do {
            try await service(req).reset(token: token, values: values, actor: req.actor)
            return req.redirect(to: "/signin", notice: "notice.password_reset")
        } catch let failure as ValidationFailure {
            let t = req.localizer
            return try await req.render("accounts/reset", Page(page: PageChrome(req, title: t("reset.title")), form: FormState(values: [:], failure: failure, t), token: token), status: .unprocessableEntity)
        }
    }
}
