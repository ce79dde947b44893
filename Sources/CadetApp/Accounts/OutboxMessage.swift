import Fluent
import Foundation

/// A message to a person: kept here first, then sent by e-mail when SMTP is configured.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "kind") var kind: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    /// While a sender is sending it: another process leaves it alone until then.
    @OptionalField(key: "sending_until") var sendingUntil: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(recipient: String, subject: String, body: String, kind: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.kind = kind
        self.attempts = 0
    }
}

struct CreateOutboxMessage: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("kind", .string, .required)
            .field("attempts", .int, .required)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).delete()
    }
}

/// Several `cadet serve` processes may share one database; the one that claims a message sends it.
struct AddOutboxSendingLease: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).field("sending_until", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).deleteField("sending_until").update()
    }
}
