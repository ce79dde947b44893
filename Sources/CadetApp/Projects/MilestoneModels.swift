import CadetCore
import Fluent
import Foundation

/// A milestone every team of a cohort reaches by a day.
final class ProjectMilestone: Model, @unchecked Sendable {
    static let schema = "project_milestones"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "title") var title: String
    @Field(key: "due_on") var dueOn: String
    @Field(key: "description") var description: String

    init() {}
}

/// A team's latest hand-in for a milestone: a link, a note and perhaps a PDF or image kept in
/// the document store. Handing in again replaces it.
final class MilestoneDeliverable: Model, @unchecked Sendable {
    static let schema = "milestone_deliverables"

    @ID(key: .id) var id: UUID?
    @Parent(key: "milestone_id") var milestone: ProjectMilestone
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @OptionalField(key: "link") var link: String?
    @Field(key: "note") var note: String
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "file_type") var fileType: String?
    @OptionalField(key: "file_storage") var fileStorage: String?
    @Field(key: "submitted_by") var submittedBy: UUID
    @Field(key: "submitted_at") var submittedAt: Date

    init() {}
}

/// A mentor's or staff member's feedback on a team's milestone.
final class MilestoneFeedback: Model, @unchecked Sendable {
    static let schema = "milestone_feedback"

    @ID(key: .id) var id: UUID?
    @Parent(key: "milestone_id") var milestone: ProjectMilestone
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @Parent(key: "author_id") var author: User
    @Field(key: "text") var text: String
    @Field(key: "written_at") var writtenAt: Date

    init() {}
}

struct CreateMilestones: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProjectMilestone.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("due_on", .string, .required)
            .field("description", .string, .required)
            .create()
        try await database.schema(MilestoneDeliverable.schema)
            .id()
            .field("milestone_id", .uuid, .required, .references(ProjectMilestone.schema, "id", onDelete: .cascade))
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("link", .string)
            .field("note", .string, .required)
            .field("file_name", .string)
            .field("file_type", .string)
            .field("file_storage", .string)
            .field("submitted_by", .uuid, .required)
            .field("submitted_at", .datetime, .required)
            .unique(on: "milestone_id", "proposal_id", name: "milestone_deliverables_one_per_team")
            .create()
        try await database.schema(MilestoneFeedback.schema)
            .id()
            .field("milestone_id", .uuid, .required, .references(ProjectMilestone.schema, "id", onDelete: .cascade))
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("text", .string, .required)
            .field("written_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [MilestoneFeedback.schema, MilestoneDeliverable.schema, ProjectMilestone.schema] {
            try await database.schema(schema).delete()
        }
    }
}
