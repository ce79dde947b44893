import Fluent
import Foundation

/// A person who can hold roles. `passwordHash` is nil for people created by staff or the demo
/// until they set a password through a reset link.
final class User: Model, @unchecked Sendable {
    // @unchecked: Fluent models are reference types whose property wrappers Fluent synchronises.
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @OptionalField(key: "password_hash") var passwordHash: String?
    @OptionalField(key: "locale") var locale: String?
    /// When the person proved they read mail at `email` (a verification or password link).
    /// Until then no application or test is claimed for them by e-mail.
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, email: String, name: String, passwordHash: String? = nil, emailVerifiedAt: Date? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.emailVerifiedAt = emailVerifiedAt
    }
}

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string)
            .field("locale", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}

/// Accounts made before e-mail verification existed count as unverified: a password link or a
/// verification link proves the address.
struct AddUserEmailVerified: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("email_verified_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("email_verified_at").update()
    }
}
