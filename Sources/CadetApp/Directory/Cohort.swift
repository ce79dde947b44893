import Fluent
import Foundation

/// A cohort (기수). Dates are calendar days stored as ISO text, free of time zones.
final class Cohort: Model, @unchecked Sendable {
    static let schema = "cohorts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "capacity") var capacity: Int
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @OptionalField(key: "target_hours") var targetHours: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

struct CreateCohort: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Cohort.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .restrict))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("capacity", .int, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("target_hours", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "programme_id", "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Cohort.schema).delete()
    }
}
