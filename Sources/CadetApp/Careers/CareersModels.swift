import CadetCore
import Fluent
import Foundation
import SQLKit

/// A graduate's outcome as it stands now: one row per trainee who completed a cohort.
final class GraduateOutcome: Model, @unchecked Sendable {
    static let schema = "graduate_outcomes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "status") var status: OutcomeStatus
    @OptionalField(key: "chosen_path") var chosenPath: ChosenPath?
    @OptionalField(key: "organisation") var organisation: String?
    @OptionalField(key: "role") var role: String?
    @OptionalField(key: "started_on") var startedOn: String?
    @Field(key: "in_field") var inField: Bool
    @OptionalField(key: "employment_type") var employmentType: EmploymentType?
    @OptionalField(key: "salary_band") var salaryBand: SalaryBand?
    @Field(key: "verified") var verified: Bool
    @Field(key: "cirr") var cirr: CIRRCategory
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// Evidence (`AddOutcomeEvidence`): the file's name and type as sent, and where it is stored.
    @OptionalField(key: "evidence_name") var evidenceName: String?
    @OptionalField(key: "evidence_type") var evidenceType: String?
    @OptionalField(key: "evidence_storage") var evidenceStorage: String?

    init() {}

    var draft: OutcomeDraft {
        OutcomeDraft(status: status, chosenPath: chosenPath, organisation: organisation, role: role, startedOn: startedOn.flatMap(CalendarDate.init(iso:)),
                     inField: inField, employmentType: employmentType, salaryBand: salaryBand, verified: verified)
    }

    func apply(_ draft: OutcomeDraft, by actor: String) {
        status = draft.status
        chosenPath = draft.chosenPath
        organisation = draft.organisation
        role = draft.role
        startedOn = draft.startedOn?.iso
        inField = draft.inField
        employmentType = draft.employmentType
        salaryBand = draft.salaryBand
        verified = draft.verified
        cirr = draft.cirr
        updatedBy = actor
    }
}

/// Outcomes frozen on a day for the funder, so a report for that point is the same whenever it
/// is drawn, whatever is corrected afterwards.
final class OutcomeSnapshot: Model, @unchecked Sendable {
    static let schema = "outcome_snapshots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "point") var point: SnapshotPoint
    @Field(key: "taken_on") var takenOn: String
    @Field(key: "taken_by") var takenBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One graduate in a snapshot.
final class OutcomeSnapshotEntry: Model, @unchecked Sendable {
    static let schema = "outcome_snapshot_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "snapshot_id") var snapshot: OutcomeSnapshot
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "status") var status: OutcomeStatus
    @Field(key: "cirr") var cirr: CIRRCategory
    @OptionalField(key: "organisation") var organisation: String?
    @Field(key: "verified") var verified: Bool

    init() {}
}

/// What the funder's report needs to know about a programme that the directory does not: the
/// region it counts as local.
final class ProgrammeReportSetting: Model, @unchecked Sendable {
    static let schema = "programme_report_settings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "home_region") var homeRegion: Region

    init() {}
}

/// The funder's report counts each round's applications by their profile, and by age band from
/// birth dates; these indexes hold every column each count reads, so the counts come from the
/// index alone: the profile already in group order, each age band one range.
struct CreateFunderReportIndex: AsyncMigration {
    static let indexes = [
        ("applications_round_profile", ["round_id", "stage", "region", "gender", "major_field", "education", "employment_status"]),
        ("applications_round_birth", ["round_id", "birth_date", "stage"]),
    ]

    func prepare(on database: any Database) async throws {
        for (name, columns) in Self.indexes {
            var index = (database as! any SQLDatabase).create(index: SQLIdentifier(name)).on(Applicant.schema)
            for column in columns { index = index.column(column) }
            try await index.run()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.indexes { try await (database as! any SQLDatabase).drop(index: SQLIdentifier(name)).run() }
    }
}

struct CreateCareers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GraduateOutcome.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("chosen_path", .string)
            .field("organisation", .string)
            .field("role", .string)
            .field("started_on", .string)
            .field("in_field", .bool, .required)
            .field("employment_type", .string)
            .field("salary_band", .string)
            .field("verified", .bool, .required)
            .field("cirr", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "cohort_id", "trainee_id")
            .create()
        try await database.schema(OutcomeSnapshot.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("point", .string, .required)
            .field("taken_on", .string, .required)
            .field("taken_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "cohort_id", "point")
            .create()
        try await database.schema(OutcomeSnapshotEntry.schema)
            .id()
            .field("snapshot_id", .uuid, .required, .references(OutcomeSnapshot.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("cirr", .string, .required)
            .field("organisation", .string)
            .field("verified", .bool, .required)
            .unique(on: "snapshot_id", "trainee_id")
            .create()
        try await database.schema(ProgrammeReportSetting.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("home_region", .string, .required)
            .unique(on: "programme_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ProgrammeReportSetting.schema, OutcomeSnapshotEntry.schema, OutcomeSnapshot.schema, GraduateOutcome.schema] {
            try await database.schema(schema).delete()
        }
    }
}
