import CadetCore
import Fluent
import Foundation

/// Making and revoking API tokens, audited. Nobody makes a token wider than what they may do:
/// a personal token's scope must be one its holder has a role in; a service token needs the
/// right to grant roles there (staff), and only operators make one for the whole academy.
struct APITokenService {
    static let tokenPrefix = "cadet_"

    let database: any Database
    let actor: Actor

    struct Draft: Sendable {
        var name: String
        var kind: APITokenKind
        /// As the role forms write it: `academy`, `programme:<id>` or `cohort:<id>`.
        var scope: String
        var access: APIAccessLevel
        var expiresInDays: Int?

        /// Reads the token form: `name`, `kind`, `scope` (as the role forms write it), `access`,
        /// `expires_in_days` (blank: never).
        static func parse(_ values: [String: String]) throws(ValidationFailure) -> Draft {
            var reader = FieldReader(values)
            let name = reader.text("name", maxLength: 80)
            let kind = reader.choice("kind", as: APITokenKind.self)
            let access = reader.choice("access", as: APIAccessLevel.self)
            let days = reader.integer("expires_in_days", required: false, in: 1...3650)
            let scope = reader.text("scope", maxLength: 60)
            try reader.check()
            return Draft(name: name!, kind: kind!, scope: scope!, access: access!, expiresInDays: days)
        }
    }

    /// The new token, shown once, and its record.
    func create(_ draft: Draft, by owner: User, policy: AccessPolicy, now: Date = Date()) async throws -> (token: String, record: APIToken) {
        guard let scope = try await ScopeChoice.parse(draft.scope, on: database) else { throw ValidationFailure([FieldIssue("scope", .unknownChoice)]) }
        switch draft.kind {
        case .personal:
            // A personal token never exceeds its holder, so any scope they touch will do.
            guard policy.isOperator || policy.grants.contains(where: { $0.scope.touches(scope) || scope.covers($0.scope) }) else {
                throw ValidationFailure([FieldIssue("scope", .unknownChoice)])
            }
        case .service:
            guard scope == .academy ? policy.isOperator : policy.allows(.grantRoles, in: scope) else { throw AccessError.forbidden }
        }
        let token = Self.tokenPrefix + Tokens.random()
        let record = APIToken()
        record.name = draft.name
        record.tokenHash = Tokens.sha256(token)
        record.prefix = String(token.prefix(Self.tokenPrefix.count + 6))
        record.kind = draft.kind
        record.$owner.id = try owner.requireID()
        record.$programme.id = scope.programmeID?.uuid
        record.$cohort.id = scope.cohortID?.uuid
        record.access = draft.access
        record.expiresAt = draft.expiresInDays.map { now.addingTimeInterval(TimeInterval($0) * 86_400) }
        try await database.transaction { db in
            try await record.create(on: db)
            try await AuditLog.record(AuditEntry(action: "api_token.created", entityType: "api_token", entityID: record.id,
                                                 summary: "\(draft.kind.rawValue) \(record.prefix)… \(draft.access.rawValue) @ \(RoleGrant.key(for: scope)): \(draft.name)",
                                                 programmeID: scope.programmeID?.uuid, cohortID: scope.cohortID?.uuid),
                                      by: actor, on: db)
        }
        return (token, record)
    }

    func revoke(_ token: APIToken, now: Date = Date()) async throws {
        guard token.revokedAt == nil else { return }
        token.revokedAt = now
        try await database.transaction { db in
            try await token.update(on: db)
            try await AuditLog.record(AuditEntry(action: "api_token.revoked", entityType: "api_token", entityID: token.id,
                                                 summary: "\(token.prefix)… \(token.name)", programmeID: token.$programme.id, cohortID: token.$cohort.id),
                                      by: actor, on: db)
        }
    }

    /// Who may revoke a token: its holder, and staff of its scope.
    static func mayRevoke(_ token: APIToken, user: CurrentUser) -> Bool {
        token.$owner.id == user.id || (token.scope == .academy ? user.policy.isOperator : user.policy.allows(.grantRoles, in: token.scope))
    }
}
