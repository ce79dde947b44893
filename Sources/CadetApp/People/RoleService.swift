import CadetCore
import Fluent
import Foundation

/// Granting and revoking roles, audited.
struct RoleService {
    let database: any Database
    let actor: Actor

    /// Grants the role unless the person already holds it there.
    func ensure(_ role: Role, for userID: UUID, at scope: Scope) async throws {
        let key = RoleGrant.key(for: scope)
        if try await RoleGrant.query(on: database).filter(\.$user.$id == userID).filter(\.$role == role.rawValue).filter(\.$scopeKey == key).first() != nil {
            return
        }
        let grant = RoleGrant(userID: userID, role: role, scope: scope)
        try await grant.create(on: database)
        try await AuditLog.record(AuditEntry(action: "role.granted", entityType: "user", entityID: userID,
                                             summary: "\(role.rawValue) @ \(key)", programmeID: scope.programmeID?.uuid,
                                             cohortID: scope.cohortID?.uuid, after: GrantSnapshot(role: role.rawValue, scope: key)),
                                  by: actor, on: database)
    }

    func revoke(_ grant: RoleGrant) async throws {
        try await grant.delete(on: database)
        try await AuditLog.record(AuditEntry(action: "role.revoked", entityType: "user", entityID: grant.$user.id,
                                             summary: "\(grant.role) @ \(grant.scopeKey)", programmeID: grant.$programme.id,
                                             cohortID: grant.$cohort.id, before: GrantSnapshot(role: grant.role, scope: grant.scopeKey)),
                                  by: actor, on: database)
    }
}

struct GrantSnapshot: Codable, Sendable {
    let role: String
    let scope: String
}
