import CadetCore
import Fluent
import Foundation

/// A token for the REST API. Only its SHA-256 is stored; the holder sees the token once. A
/// personal token acts for the person who made it, never beyond their roles; a service token
/// acts as the staff of its scope, for an integration that outlives any one person. Either is
/// limited to one scope (the academy, a programme or a cohort) and to reading or also writing.
final class APIToken: Model, @unchecked Sendable {
    // @unchecked: Fluent models are reference types whose property wrappers Fluent synchronises.
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the token, to tell tokens apart on the page.
    @Field(key: "prefix") var prefix: String
    @Field(key: "kind") var kind: APITokenKind
    /// The person a personal token acts for; for a service token, who made it.
    @Parent(key: "owner_id") var owner: User
    @OptionalParent(key: "programme_id") var programme: Programme?
    @OptionalParent(key: "cohort_id") var cohort: Cohort?
    @Field(key: "access") var access: APIAccessLevel
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    var scope: Scope {
        switch ($programme.id, $cohort.id) {
        case (let p?, let c?): .cohort(CohortID(c), in: ProgrammeID(p))
        case (let p?, nil): .programme(ProgrammeID(p))
        default: .academy
        }
    }
}

enum APITokenKind: String, Codable, CaseIterable, Sendable {
    case personal, service
}

enum APIAccessLevel: String, Codable, CaseIterable, Sendable {
    case read, write
}

struct CreateAPIToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("kind", .string, .required)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("programme_id", .uuid, .references(Programme.schema, "id", onDelete: .cascade))
            .field("cohort_id", .uuid, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("access", .string, .required)
            .field("created_at", .datetime)
            .field("expires_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}

/// Requests per token per minute, counted in the database so that every instance sees them.
struct CreateAPIRateWindow: AsyncMigration {
    static let schema = "api_rate_windows"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .field("token_id", .uuid, .required, .references(APIToken.schema, "id", onDelete: .cascade))
            .field("window_start", .int64, .required)
            .field("requests", .int, .required)
            .unique(on: "token_id", "window_start")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}
