import CadetCore
import Fluent
import Foundation
import SQLKit

/// One person's application to a round. Profile facts are kept as given at the time, since the
/// decision was made on them.
final class Applicant: Model, @unchecked Sendable {
    static let schema = "applications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Parent(key: "cohort_id") var cohort: Cohort
    /// The applicant's number in the round, given at submission (or import).
    @OptionalField(key: "number") var number: Int?
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "region") var region: String?
    @OptionalField(key: "gender") var gender: String?
    @OptionalField(key: "education") var education: String?
    @OptionalField(key: "major_field") var majorField: String?
    @OptionalField(key: "employment_status") var employmentStatus: String?
    @OptionalField(key: "sponsorship_id") var sponsorshipID: UUID?
    @Field(key: "stage") var stage: ApplicationStage
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "consent_version_id") var consentVersionID: UUID?
    @OptionalField(key: "consented_at") var consentedAt: Date?
    /// Answers to the round's questions, as a JSON object keyed by question key.
    @Field(key: "answers_json") var answersJSON: String
    @OptionalField(key: "document_score") var documentScore: Double?
    @OptionalField(key: "test_score") var testScore: Double?
    @OptionalField(key: "interview_score") var interviewScore: Double?
    @OptionalField(key: "final_score") var finalScore: Double?
    @OptionalField(key: "rank") var rank: Int?
    @OptionalField(key: "waitlist_position") var waitlistPosition: Int?
    @OptionalField(key: "tie_break") var tieBreak: String?
    /// The ranking's explanation at the time of the decision (components, weights, reviewers).
    @OptionalField(key: "decision_json") var decisionJSON: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var answers: [String: String] {
        get { (try? JSONDecoder().decode([String: String].self, from: Data(answersJSON.utf8))) ?? [:] }
        set { answersJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{}".utf8), as: UTF8.self) }
    }
}

extension Applicant {
    /// A new, empty draft application to a round.
    convenience init(draftIn round: RecruitmentRound, cohort: Cohort, userID: UUID?, name: String, email: String) throws {
        self.init()
        $round.id = try round.requireID()
        $cohort.id = try cohort.requireID()
        $user.id = userID
        self.name = name
        self.email = email
        stage = .draft
        answers = [:]
    }
}

/// A file an applicant uploaded: stored under the data directory, never served statically.
final class ApplicantFile: Model, @unchecked Sendable {
    static let schema = "application_files"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var applicant: Applicant
    @Field(key: "question_key") var questionKey: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "storage_name") var storageName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateApplicant: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Applicant.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("number", .int)
            .field("user_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string)
            .field("birth_date", .string)
            .field("region", .string)
            .field("gender", .string)
            .field("education", .string)
            .field("major_field", .string)
            .field("employment_status", .string)
            .field("sponsorship_id", .uuid)
            .field("stage", .string, .required)
            .field("submitted_at", .datetime)
            .field("consent_version_id", .uuid, .references(ConsentVersion.schema, "id", onDelete: .restrict))
            .field("consented_at", .datetime)
            .field("answers_json", .string, .required)
            .field("document_score", .double)
            .field("test_score", .double)
            .field("interview_score", .double)
            .field("final_score", .double)
            .field("rank", .int)
            .field("waitlist_position", .int)
            .field("tie_break", .string)
            .field("decision_json", .string)
            .field("decided_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "round_id", "email")
            .unique(on: "round_id", "number")
            .create()
        let sql = database as! any SQLDatabase
        // The pipeline filters and sorts within a round; the report counts by these columns.
        for (name, columns) in [("applications_round_stage", ["round_id", "stage"]), ("applications_round_region", ["round_id", "region"]),
                                ("applications_round_score", ["round_id", "final_score"]), ("applications_round_submitted", ["round_id", "submitted_at"]),
                                ("applications_user", ["user_id"])] {
            var index = sql.create(index: SQLIdentifier(name)).on(Applicant.schema)
            for column in columns { index = index.column(column) }
            try await index.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Applicant.schema).delete()
    }
}

struct CreateApplicantFile: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicantFile.schema)
            .id()
            .field("application_id", .uuid, .required, .references(Applicant.schema, "id", onDelete: .cascade))
            .field("question_key", .string, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("storage_name", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ApplicantFile.schema).delete()
    }
}
