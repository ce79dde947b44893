import Fluent
import Foundation

/// Who changed what, when, from what to what. Written in the same transaction as the change.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @OptionalField(key: "entity_id") var entityID: UUID?
    @Field(key: "summary") var summary: String
    @OptionalField(key: "programme_id") var programmeID: UUID?
    @OptionalField(key: "cohort_id") var cohortID: UUID?
    @OptionalField(key: "before_json") var beforeJSON: String?
    @OptionalField(key: "after_json") var afterJSON: String?
    @OptionalField(key: "request_id") var requestID: String?

    init() {}
}

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_label", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .uuid)
            .field("summary", .string, .required)
            .field("programme_id", .uuid)
            .field("cohort_id", .uuid)
            .field("before_json", .string)
            .field("after_json", .string)
            .field("request_id", .string)
            .create()
        // The audit page filters by programme and sorts by time.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "audit_events_programme_time").on(AuditEvent.schema).column("programme_id").column("occurred_at").run()
            try await sql.create(index: "audit_events_time").on(AuditEvent.schema).column("occurred_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}

import SQLKit
