import ArgumentParser
import CadetCore
import Fluent
import SQLKit
import Vapor

/// The REST API's own parts: tokens (pages and a command), the rate-limit windows, and `/me`.
/// Every other operation belongs to the capability whose records it serves.
struct APICapability: Capability {
    var migrations: [any Migration] { [CreateAPIToken(), CreateAPIRateWindow()] }

    func routes(_ routes: any RoutesBuilder) {
        APITokensController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        routes.get("me", use: Self.me)
    }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        let db = app.db
        return [.every(.seconds(600), name: "API rate windows", logger: app.logger) {
            let cutoff = Int64(Date().timeIntervalSince1970) / 60 - 10
            try await (db as! any SQLDatabase).delete(from: CreateAPIRateWindow.schema).where("window_start", .lessThan, cutoff).run()
        }]
    }

    var commands: [any ParsableCommand.Type] { [TokenCommand.self] }

    struct Me: Encodable {
        let name: String
        let kind: String
        let holder: String
        let scope: APIScope
        let access: String
        let expiresAt: Date?
    }

    @Sendable static func me(_ req: Request) async throws -> Response {
        guard let token = req.apiToken else { throw APIError.tokenRequired }
        return try APIJSON.response(Me(name: token.name, kind: token.kind.rawValue, holder: token.owner.email,
                                       scope: try await APIScope(token.scope, on: req.db), access: token.access.rawValue, expiresAt: token.expiresAt))
    }
}

/// A scope as the API shows it: `{ "kind": "cohort", "programme": "gwangju-ai", "cohort": "c1" }`.
struct APIScope: Codable, Sendable {
    let kind: String
    let programme: String?
    let cohort: String?

    init(_ scope: Scope, on db: any Database) async throws {
        switch scope {
        case .academy:
            (kind, programme, cohort) = ("academy", nil, nil)
        case .programme(let p):
            (kind, programme, cohort) = ("programme", try await Programme.find(p.uuid, on: db)?.slug, nil)
        case .cohort(let c, let p):
            (kind, programme, cohort) = ("cohort", try await Programme.find(p.uuid, on: db)?.slug, try await Cohort.find(c.uuid, on: db)?.slug)
        }
    }
}

/// `cadet token …`: tokens for scripts and integrations, without the page.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Make and revoke API tokens.", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token and print it (only this once).")

        @Option(help: "The person it belongs to (a service token: who made it).") var email: String
        @Option var name: String
        @Option(help: "academy, a programme (gwangju-ai) or a cohort (gwangju-ai/c1).") var scope = "academy"
        @Option(help: "read or write.") var access = "read"
        @Flag(help: "A service token: acts as the scope's staff, not as the person.") var service = false
        @Option(help: "Days until it expires (default: never).") var expiresInDays: Int?

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let owner = try await CommandSupport.person(email, on: app.db)
                let scope = try await CommandSupport.scope(self.scope, on: app.db)
                let values = ["name": name, "kind": service ? "service" : "personal", "scope": RoleGrant.key(for: scope), "access": access,
                              "expires_in_days": expiresInDays.map(String.init) ?? ""]
                // Whoever runs `cadet` on the server may do anything; the token still never exceeds its holder's roles.
                let made = try await CommandSupport.reportingProblems {
                    try await APITokenService(database: app.db, actor: .commandLine)
                        .create(try APITokenService.Draft.parse(values), by: owner, policy: AccessPolicy(grants: [Grant(.operator, .academy)]))
                }
                print(made.token)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by the prefix shown on the tokens page.")

        @Option var prefix: String

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                let tokens = try await APIToken.query(on: app.db).filter(\.$prefix == prefix).filter(\.$revokedAt == nil).all()
                guard tokens.count == 1 else { throw CommandFailure("--prefix: \(tokens.count) active tokens start with \(prefix)") }
                try await APITokenService(database: app.db, actor: .commandLine).revoke(tokens[0])
                print("Revoked \(prefix)….")
            }
        }
    }
}
