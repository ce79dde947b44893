import Fluent
import Foundation

/// A company's sponsorship of places in a sponsored cohort.
final class Sponsorship: Model, @unchecked Sendable {
    static let schema = "sponsorships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Field(key: "company") var company: String
    @OptionalParent(key: "contact_id") var contact: User?
    /// KRW per trainee, paid by the company.
    @Field(key: "tuition_per_trainee") var tuitionPerTrainee: Int
    /// KRW the funder refunds for each trainee who meets the completion criteria.
    @Field(key: "refund_per_completer") var refundPerCompleter: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// An employee a sponsoring company puts forward; they complete their own application.
final class Nomination: Model, @unchecked Sendable {
    static let schema = "nominations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "sponsorship_id") var sponsorship: Sponsorship
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @OptionalField(key: "application_id") var applicationID: UUID?
    /// Whether the nominee has agreed; until then the company sees nothing of any application.
    @Field(key: "status") var status: NominationStatus
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A nomination's answer from the person nominated. Staff may confirm on their behalf.
enum NominationStatus: String, Codable, CaseIterable, Sendable {
    case invited, accepted, declined
}

struct CreateSponsorship: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Sponsorship.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("company", .string, .required)
            .field("contact_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("tuition_per_trainee", .int, .required)
            .field("refund_per_completer", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "round_id", "company")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Sponsorship.schema).delete()
    }
}

struct CreateNomination: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Nomination.schema)
            .id()
            .field("sponsorship_id", .uuid, .required, .references(Sponsorship.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("application_id", .uuid, .references(Applicant.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "sponsorship_id", "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Nomination.schema).delete()
    }
}

/// Nominations made before consent existed had already linked their application.
struct AddNominationStatus: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Nomination.schema)
            .field("status", .string, .required, .sql(.default(NominationStatus.accepted.rawValue)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Nomination.schema).deleteField("status").update()
    }
}
