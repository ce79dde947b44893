import Fluent
import Foundation

/// A cohort's recruitment round: when it takes applications and how it selects.
final class RecruitmentRound: Model, @unchecked Sendable {
    static let schema = "recruitment_rounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "opens_at") var opensAt: Date
    @Field(key: "closes_at") var closesAt: Date
    @Field(key: "capacity") var capacity: Int
    @Field(key: "sponsored") var sponsored: Bool
    /// For sponsored rounds: what a company pays per trainee, and what the funder refunds per completer (KRW).
    @OptionalField(key: "tuition_per_trainee") var tuitionPerTrainee: Int?
    @OptionalField(key: "refund_per_completer") var refundPerCompleter: Int?
    /// Reviewers see no name, age, gender, region or documents.
    @Field(key: "blind_review") var blindReview: Bool
    @Field(key: "normalisation") var normalisation: String
    /// Tie-break rules in order, comma-separated.
    @Field(key: "tie_breaks") var tieBreaks: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A question on a round's application form, in both languages.
final class RoundQuestion: Model, @unchecked Sendable {
    static let schema = "round_questions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Field(key: "position") var position: Int
    @Field(key: "key") var key: String
    @Field(key: "label_ko") var labelKorean: String
    @Field(key: "label_en") var labelEnglish: String
    @Field(key: "kind") var kind: String
    @Field(key: "required") var required: Bool
    /// Choices, one per line.
    @Field(key: "options") var options: String

    init() {}
}

/// One version of the personal-information consent text. Versions are never edited: a change
/// is a new version, and each application keeps the one it agreed to.
final class ConsentVersion: Model, @unchecked Sendable {
    static let schema = "consent_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Field(key: "version") var version: Int
    @Field(key: "purpose") var purpose: String
    @Field(key: "items") var items: String
    @Field(key: "retention") var retention: String
    @Field(key: "text") var text: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A criterion of the round's rubric.
final class RubricCriterion: Model, @unchecked Sendable {
    static let schema = "rubric_criteria"

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Field(key: "position") var position: Int
    @Field(key: "key") var key: String
    @Field(key: "source") var source: String
    @Field(key: "weight") var weight: Double
    @Field(key: "scale") var scale: Double

    init() {}
}

struct CreateRecruitmentRound: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RecruitmentRound.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("opens_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("capacity", .int, .required)
            .field("sponsored", .bool, .required)
            .field("tuition_per_trainee", .int)
            .field("refund_per_completer", .int)
            .field("blind_review", .bool, .required)
            .field("normalisation", .string, .required)
            .field("tie_breaks", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "cohort_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RecruitmentRound.schema).delete()
    }
}

struct CreateRoundQuestion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoundQuestion.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("key", .string, .required)
            .field("label_ko", .string, .required)
            .field("label_en", .string, .required)
            .field("kind", .string, .required)
            .field("required", .bool, .required)
            .field("options", .string, .required)
            .unique(on: "round_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoundQuestion.schema).delete()
    }
}

struct CreateConsentVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConsentVersion.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("purpose", .string, .required)
            .field("items", .string, .required)
            .field("retention", .string, .required)
            .field("text", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "round_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConsentVersion.schema).delete()
    }
}

struct CreateRubricCriterion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RubricCriterion.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("key", .string, .required)
            .field("source", .string, .required)
            .field("weight", .double, .required)
            .field("scale", .double, .required)
            .unique(on: "round_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RubricCriterion.schema).delete()
    }
}
