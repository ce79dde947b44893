import CadetCore
import Fluent
import Foundation

/// One role held by one person at one scope. `scope_key` makes the three-way uniqueness work on
/// both databases (a NULL never equals another NULL in a unique index).
final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "role_grants"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: String
    @OptionalParent(key: "programme_id") var programme: Programme?
    @OptionalParent(key: "cohort_id") var cohort: Cohort?
    @Field(key: "scope_key") var scopeKey: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, role: Role, scope: Scope) {
        self.$user.id = userID
        self.role = role.rawValue
        self.$programme.id = scope.programmeID?.uuid
        self.$cohort.id = scope.cohortID?.uuid
        self.scopeKey = RoleGrant.key(for: scope)
    }

    static func key(for scope: Scope) -> String {
        switch scope {
        case .academy: "academy"
        case .programme(let p): "programme:\(p.uuid.uuidString.lowercased())"
        case .cohort(let c, _): "cohort:\(c.uuid.uuidString.lowercased())"
        }
    }

    var grant: Grant? {
        Self.grant(role: role, programme: $programme.id, cohort: $cohort.id)
    }

    /// A grant from its stored columns; nil for a role this version does not know.
    static func grant(role raw: String, programme: UUID?, cohort: UUID?) -> Grant? {
        guard let role = Role(rawValue: raw) else { return nil }
        if let cohort, let programme { return Grant(role, .cohort(CohortID(cohort), in: ProgrammeID(programme))) }
        if let programme { return Grant(role, .programme(ProgrammeID(programme))) }
        return Grant(role, .academy)
    }
}

struct CreateRoleGrant: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("programme_id", .uuid, .references(Programme.schema, "id", onDelete: .cascade))
            .field("cohort_id", .uuid, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("scope_key", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id", "role", "scope_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema).delete()
    }
}
