import Fluent
import Foundation

/// A reviewer asked to score one application on one source (documents, interview, committee).
final class ReviewAssignment: Model, @unchecked Sendable {
    static let schema = "review_assignments"

    enum Status: String, Codable, Sendable {
        case assigned, submitted, recused
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Parent(key: "application_id") var applicant: Applicant
    @Parent(key: "reviewer_id") var reviewer: User
    @Field(key: "source") var source: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "conflict_reason") var conflictReason: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One reviewer's score on one criterion.
final class ReviewScore: Model, @unchecked Sendable {
    static let schema = "review_scores"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assignment_id") var assignment: ReviewAssignment
    @Field(key: "criterion_key") var criterionKey: String
    @Field(key: "score") var score: Double

    init() {}
}

struct CreateReviewAssignment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReviewAssignment.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("application_id", .uuid, .required, .references(Applicant.schema, "id", onDelete: .cascade))
            .field("reviewer_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("conflict_reason", .string)
            .field("submitted_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "application_id", "reviewer_id", "source")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReviewAssignment.schema).delete()
    }
}

struct CreateReviewScore: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReviewScore.schema)
            .id()
            .field("assignment_id", .uuid, .required, .references(ReviewAssignment.schema, "id", onDelete: .cascade))
            .field("criterion_key", .string, .required)
            .field("score", .double, .required)
            .unique(on: "assignment_id", "criterion_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReviewScore.schema).delete()
    }
}
