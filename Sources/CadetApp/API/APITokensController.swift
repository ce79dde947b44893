import CadetCore
import Fluent
import Vapor

/// /account/tokens: a person's API tokens, the service tokens of the scopes they run, making
/// one (shown once) and revoking one.
enum APITokensController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("account", "tokens", use: index)
        routes.post("account", "tokens", use: create)
        routes.post("account", "tokens", ":token", "revoke", use: revoke)
    }

    struct Row: Encodable {
        let name: String
        let prefix: String
        let kind: String
        let holder: String
        let scope: String
        let access: String
        let created: String
        let lastUsed: String
        let expires: String
        let state: String
        let revokeAction: String?
    }

    struct Page: Encodable {
        let page: PageChrome
        let rows: [Row]?
        let scopes: [ScopeChoice]
        let mayMakeServiceTokens: Bool
        let form: FormState
        /// The token just made: shown this once.
        let newToken: String?
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        try await render(req, form: .empty)
    }

    static func render(_ req: Request, form: FormState, newToken: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let tokens = try await APIToken.query(on: req.db).with(\.$owner).with(\.$programme).with(\.$cohort).sort(\.$createdAt, .descending).all()
            .filter { $0.$owner.id == user.id || ($0.kind == .service && APITokenService.mayRevoke($0, user: user)) }
        let now = req.now
        let rows = tokens.map { token in
            let state = token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= now } ?? false) ? "expired" : "active"
            return Row(name: token.name, prefix: token.prefix + "…", kind: t("tokens.kind.\(token.kind.rawValue)"), holder: token.owner.email,
                       scope: scopeLabel(token, t), access: t("tokens.access.\(token.access.rawValue)"), created: t.dateTime(token.createdAt),
                       lastUsed: token.lastUsedAt.map(t.dateTime) ?? "—", expires: token.expiresAt.map(t.dateTime) ?? t("tokens.never"),
                       state: t("tokens.state.\(state)"),
                       revokeAction: state == "active" && APITokenService.mayRevoke(token, user: user) ? "/account/tokens/\(token.id!.uuidString.lowercased())/revoke" : nil)
        }
        let scopes = try await tokenScopes(for: user, t, on: req.db)
        let mayMakeServiceTokens = user.policy.isOperator || !(user.policy.staffedProgrammes?.isEmpty ?? true)
        return try await req.render("tokens/index", Page(page: PageChrome(req, title: t("tokens.title")), rows: rows.nilIfEmpty, scopes: scopes,
                                                         mayMakeServiceTokens: mayMakeServiceTokens, form: form, newToken: newToken), status: status)
    }

    /// The scopes a person may make a token for: every programme and cohort they hold a role in.
    static func tokenScopes(for user: CurrentUser, _ t: Localizer, on db: any Database) async throws -> [ScopeChoice] {
        if user.policy.isOperator { return try await ScopeChoice.choices(for: user.policy, t, on: db) }
        var choices: [ScopeChoice] = []
        for grant in user.policy.grants {
            switch grant.scope {
            case .academy: continue
            case .programme(let p):
                if let programme = try await Programme.find(p.uuid, on: db) {
                    choices.append(ScopeChoice(value: RoleGrant.key(for: grant.scope), label: programme.name))
                }
            case .cohort(let c, _):
                if let cohort = try await Cohort.query(on: db).filter(\.$id == c.uuid).with(\.$programme).first() {
                    choices.append(ScopeChoice(value: RoleGrant.key(for: grant.scope), label: "\(cohort.programme.name) · \(cohort.name)"))
                }
            }
        }
        var seen: Set<String> = []
        return choices.filter { seen.insert($0.value).inserted }
    }

    static func scopeLabel(_ token: APIToken, _ t: Localizer) -> String {
        switch token.scope {
        case .academy: t("scope.academy")
        case .programme: token.programme?.name ?? ""
        case .cohort: "\(token.programme?.name ?? "") · \(token.cohort?.name ?? "")"
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let values = try req.formValues()
        let t = req.localizer
        do {
            let draft = try APITokenService.Draft.parse(values)
            guard let owner = try await User.find(user.id, on: req.db) else { throw AccessError.signInRequired }
            let made = try await APITokenService(database: req.db, actor: req.actor).create(draft, by: owner, policy: user.policy, now: req.now)
            return try await render(req, form: .empty, newToken: made.token)
        } catch let failure as ValidationFailure {
            return try await render(req, form: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        }
    }

    @Sendable static func revoke(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("token", as: UUID.self), let token = try await APIToken.find(id, on: req.db) else {
            throw PlatformError.notFound
        }
        guard APITokenService.mayRevoke(token, user: user) else { throw AccessError.forbidden }
        try await APITokenService(database: req.db, actor: req.actor).revoke(token, now: req.now)
        return req.redirect(to: "/account/tokens", notice: "notice.token_revoked")
    }
}
