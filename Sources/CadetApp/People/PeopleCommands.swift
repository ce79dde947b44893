import ArgumentParser
import CadetCore
import Fluent
import Foundation
import Vapor

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage people.", subcommands: [Add.self, Grant.self, Revoke.self, Roles.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person (the first operator, say) and print a link to set their password.")

        @Option var email: String
        @Option var name: String
        @Flag(help: "Make them an operator of the whole academy.") var `operator` = false

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let user = try await CommandSupport.reportingProblems {
                    try await PeopleService(database: app.db, actor: .commandLine).create(["email": email, "name": name])
                }
                if `operator` {
                    try await RoleService(database: app.db, actor: .commandLine).ensure(.operator, for: user.id!, at: .academy)
                }
                let t = Localizer(locale: config.defaultLocale, timeZone: config.timeZone)
                try await PasswordResetService(database: app.db, hasher: PasswordHasher(app), publicURL: config.publicURL)
                    .requestLink(email: user.email, purpose: .invitation, localizer: t, actor: .commandLine)
                print("Added \(user.email)\(`operator` ? " as an operator" : ""). The link to set a password is in the outbox (and sent by e-mail if SMTP is configured).")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grant a role at a scope, as the people page does (audited).")

        @Option var email: String
        @Option(help: "One of: \(CadetCore.Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "academy, a programme (gwangju-ai) or a cohort (gwangju-ai/c1).") var scope: String

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let user = try await CommandSupport.person(email, on: app.db)
                guard let role = CadetCore.Role(rawValue: role) else {
                    throw CommandFailure("--role: expected one of \(CadetCore.Role.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(self.role)\"")
                }
                let scope = try await CommandSupport.scope(self.scope, on: app.db)
                guard role.allowsGlobalScope == (scope == .academy) else {
                    throw CommandFailure("--scope: \(role.rawValue) is granted \(role.allowsGlobalScope ? "for the whole academy" : "at a programme or a cohort")")
                }
                try await RoleService(database: app.db, actor: .commandLine).ensure(role, for: user.requireID(), at: scope)
                print("\(user.email) is \(role.rawValue) @ \(self.scope).")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a role away (audited).")

        @Option var email: String
        @Option var role: String
        @Option(help: "academy, a programme (gwangju-ai) or a cohort (gwangju-ai/c1).") var scope: String

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let user = try await CommandSupport.person(email, on: app.db)
                let scope = try await CommandSupport.scope(self.scope, on: app.db)
                guard let grant = try await RoleGrant.query(on: app.db).filter(\.$user.$id == user.requireID()).filter(\.$role == role)
                    .filter(\.$scopeKey == RoleGrant.key(for: scope)).first() else {
                    throw CommandFailure("\(user.email) does not hold \(role) @ \(self.scope)")
                }
                try await RoleService(database: app.db, actor: .commandLine).revoke(grant)
                print("\(user.email) is no longer \(role) @ \(self.scope).")
            }
        }
    }

    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a person's roles.")

        @Option var email: String

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                let user = try await CommandSupport.person(email, on: app.db)
                for grant in try await RoleGrant.query(on: app.db).filter(\.$user.$id == user.requireID()).with(\.$programme).with(\.$cohort).all() {
                    let place = [grant.programme?.slug, grant.cohort?.slug].compactMap { $0 }.joined(separator: "/")
                    print("\(grant.role) @ \(place.isEmpty ? "academy" : place)")
                }
            }
        }
    }
}

extension CommandSupport {
    static func person(_ email: String, on db: any Database) async throws -> User {
        let address = EmailAddress.normalise(email)
        guard EmailAddress.isPlausible(address), let user = try await User.query(on: db).filter(\.$email == address).first() else {
            throw CommandFailure("--email: no account uses \"\(email)\"")
        }
        return user
    }

    /// `academy`, `programme` or `programme/cohort`, by slug.
    static func scope(_ text: String, on db: any Database) async throws -> Scope {
        if text == "academy" { return .academy }
        let parts = text.split(separator: "/").map(String.init)
        guard (1...2).contains(parts.count), let programme = try await Programme.query(on: db).filter(\.$slug == parts[0]).first() else {
            throw CommandFailure("--scope: expected academy, a programme's slug or programme/cohort; no programme \"\(text)\"")
        }
        guard parts.count == 2 else { return .programme(ProgrammeID(programme.id!)) }
        guard let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == parts[1]).first() else {
            throw CommandFailure("--scope: \(parts[0]) has no cohort \"\(parts[1])\"")
        }
        return .cohort(CohortID(cohort.id!), in: ProgrammeID(programme.id!))
    }
}
