import CadetCore
import Fluent
import SQLKit
import Foundation

/// A team project proposed for a cohort: by the academy (common), a partner company (corporate)
/// or a trainee (free-topic). Approved, it becomes one team.
final class ProjectProposal: Model, @unchecked Sendable {
    static let schema = "project_proposals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "kind") var kind: ProjectKind
    @OptionalParent(key: "company_id") var company: Company?
    @Field(key: "title") var title: String
    @Field(key: "problem") var problem: String
    @Field(key: "data") var data: String
    @Field(key: "skills") var skills: String
    @Field(key: "team_min") var teamMin: Int
    @Field(key: "team_max") var teamMax: Int
    @Field(key: "status") var status: ProposalStatus
    @Field(key: "proposed_by") var proposedBy: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var draft: ProjectDraft { ProjectDraft(title: title, problem: problem, data: data, skills: skills, teamMin: teamMin, teamMax: teamMax) }
}

/// One trainee's n-th choice among a cohort's approved projects.
final class ProjectPreference: Model, @unchecked Sendable {
    static let schema = "project_preferences"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "user_id") var user: User
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @Field(key: "rank") var rank: Int

    init() {}
}

/// A trainee on a project's team: one team per trainee per cohort (unique index).
final class ProjectMember: Model, @unchecked Sendable {
    static let schema = "project_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @Parent(key: "user_id") var user: User

    init() {}
}

/// A mentor or instructor guiding a project's team.
final class ProjectMentor: Model, @unchecked Sendable {
    static let schema = "project_mentors"

    enum Kind: String, Codable, CaseIterable, Sendable { case mentor, instructor }

    @ID(key: .id) var id: UUID?
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @Parent(key: "user_id") var user: User
    @Field(key: "kind") var kind: Kind

    init() {}
}

struct CreateProjectTeams: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProjectProposal.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("company_id", .uuid, .references(Company.schema, "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("problem", .string, .required)
            .field("data", .string, .required)
            .field("skills", .string, .required)
            .field("team_min", .int, .required)
            .field("team_max", .int, .required)
            .field("status", .string, .required)
            .field("proposed_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ProjectPreference.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("rank", .int, .required)
            .unique(on: "user_id", "proposal_id", name: "project_preferences_once")
            .create()
        try await database.schema(ProjectMember.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "cohort_id", "user_id", name: "project_members_one_team")
            .create()
        try await database.schema(ProjectMentor.schema)
            .id()
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .unique(on: "proposal_id", "user_id", name: "project_mentors_once")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "project_proposals_cohort").on(ProjectProposal.schema).column("cohort_id").column("status").run()
        try await sql.create(index: "project_preferences_cohort").on(ProjectPreference.schema).column("cohort_id").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [ProjectMentor.schema, ProjectMember.schema, ProjectPreference.schema, ProjectProposal.schema] {
            try await database.schema(schema).delete()
        }
    }
}
