import Fluent
import Foundation

/// One phase of a cohort's curriculum, in order.
final class CohortPhase: Model, @unchecked Sendable {
    static let schema = "cohort_phases"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "hours") var hours: Int

    init() {}

    init(cohortID: UUID, position: Int, name: String, hours: Int) {
        self.$cohort.id = cohortID
        self.position = position
        self.name = name
        self.hours = hours
    }
}

struct CreateCohortPhase: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CohortPhase.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("hours", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CohortPhase.schema).delete()
    }
}
