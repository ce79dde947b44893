import CadetCore
import Fluent
import Foundation

/// A partner company of a programme: hires its graduates, and (later) proposes projects.
final class Company: Model, @unchecked Sendable {
    static let schema = "companies"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "name") var name: String
    @OptionalField(key: "contact_name") var contactName: String?
    @OptionalField(key: "contact_email") var contactEmail: String?
    @OptionalField(key: "region") var region: Region?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A hiring agreement (채용 연계 협약) with a company.
final class HiringAgreement: Model, @unchecked Sendable {
    static let schema = "hiring_agreements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "company_id") var company: Company
    @Field(key: "signed_on") var signedOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    @OptionalField(key: "headcount") var headcount: Int?
    @Field(key: "recorded_by") var recordedBy: String

    init() {}

    var draft: AgreementDraft {
        AgreementDraft(signedOn: CalendarDate(iso: signedOn)!, endsOn: endsOn.flatMap(CalendarDate.init(iso:)), headcount: headcount)
    }
}

/// A job a company offers through the academy.
final class JobPosting: Model, @unchecked Sendable {
    static let schema = "job_postings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "company_id") var company: Company
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "location") var location: String?
    @Field(key: "closes_on") var closesOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One trainee's way through one posting: applied, interviewing, offered, placed or declined.
final class Placement: Model, @unchecked Sendable {
    static let schema = "placements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "posting_id") var posting: JobPosting
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "stage") var stage: PlacementStage
    @Field(key: "notes") var notes: String
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

struct CreateHiring: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Company.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("contact_name", .string)
            .field("contact_email", .string)
            .field("region", .string)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "name")
            .create()
        try await database.schema(HiringAgreement.schema)
            .id()
            .field("company_id", .uuid, .required, .references(Company.schema, "id", onDelete: .cascade))
            .field("signed_on", .string, .required)
            .field("ends_on", .string)
            .field("headcount", .int)
            .field("recorded_by", .string, .required)
            .create()
        try await database.schema(JobPosting.schema)
            .id()
            .field("company_id", .uuid, .required, .references(Company.schema, "id", onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("location", .string)
            .field("closes_on", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(Placement.schema)
            .id()
            .field("posting_id", .uuid, .required, .references(JobPosting.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("stage", .string, .required)
            .field("notes", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "posting_id", "trainee_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [Placement.schema, JobPosting.schema, HiringAgreement.schema, Company.schema] {
            try await database.schema(schema).delete()
        }
    }
}
