import CadetCore
import Fluent
import SQLKit
import Foundation

/// A hackathon of a cohort: a problem scored against labels only the server holds.
final class Hackathon: Model, @unchecked Sendable {
    static let schema = "hackathons"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "title") var title: String
    @Field(key: "brief") var brief: String
    @Field(key: "metric") var metric: LeaderboardMetric
    @Field(key: "public_percent") var publicPercent: Int
    /// Fixes the public/private split for good (LeaderboardSplit).
    @Field(key: "split_seed") var splitSeed: Int64
    @Field(key: "daily_cap") var dailyCap: Int
    @Field(key: "finals") var finals: Int
    @Field(key: "deadline") var deadline: Date
    /// The hidden labels as CSV (AnswerKey.csv). Never sent to a team.
    @Field(key: "answer_key") var answerKey: String
    @Field(key: "rows") var rows: Int
    @OptionalField(key: "revealed_at") var revealedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    /// For a hackathon that wants code: what every program reads on standard input.
    @OptionalField(key: "program_input") var programInput: String?

    init() {}

    var key: AnswerKey { get throws { try AnswerKey.parse(Array(answerKey.utf8), metric: metric) } }
    var publicIDs: Set<String> { get throws { LeaderboardSplit.publicIDs(try key.ids, seed: UInt64(bitPattern: splitSeed), sharePercent: publicPercent) } }
}

final class HackathonTeam: Model, @unchecked Sendable {
    static let schema = "hackathon_teams"

    @ID(key: .id) var id: UUID?
    @Parent(key: "hackathon_id") var hackathon: Hackathon
    @Field(key: "name") var name: String
    @Children(for: \.$team) var members: [HackathonMember]

    init() {}
}

/// One trainee on one team; a trainee is on at most one team per hackathon (unique index).
final class HackathonMember: Model, @unchecked Sendable {
    static let schema = "hackathon_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "hackathon_id") var hackathon: Hackathon
    @Parent(key: "team_id") var team: HackathonTeam
    @Parent(key: "user_id") var user: User

    init() {}
}

final class HackathonSubmission: Model, @unchecked Sendable {
    static let schema = "hackathon_submissions"

    enum Status: String, Codable, Sendable { case queued, scored }

    @ID(key: .id) var id: UUID?
    @Parent(key: "hackathon_id") var hackathon: Hackathon
    @Parent(key: "team_id") var team: HackathonTeam
    @Field(key: "submitted_by") var submittedBy: UUID
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "filename") var filename: String
    /// The validated predictions, one per key row in the key's order, as a JSON array.
    @Field(key: "predictions") var predictions: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "public_score") var publicScore: Double?
    @OptionalField(key: "private_score") var privateScore: Double?
    @OptionalField(key: "scored_at") var scoredAt: Date?
    @Field(key: "chosen") var chosen: Bool
    /// The program that made the predictions, where the hackathon wants code, and its check.
    @OptionalField(key: "code") var code: String?
    @OptionalField(key: "code_job_id") var codeJobID: UUID?

    init() {}

    /// Submissions without their predictions (up to megabytes each): what boards and lists read.
    static func summaries(on db: any Database) -> QueryBuilder<HackathonSubmission> {
        query(on: db).field(\.$id).field(\.$hackathon.$id).field(\.$team.$id).field(\.$submittedBy).field(\.$submittedAt).field(\.$filename)
            .field(\.$status).field(\.$publicScore).field(\.$privateScore).field(\.$scoredAt).field(\.$chosen).field(\.$codeJobID)
    }

    /// This submission as the boards rank it; unscored ones rank below every score.
    var entry: Leaderboard.Entry {
        Leaderboard.Entry(team: $team.id, submission: id!, at: submittedAt, publicScore: publicScore ?? .nan, privateScore: privateScore ?? .nan, chosen: chosen)
    }
}

struct CreateHackathons: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Hackathon.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("brief", .string, .required)
            .field("metric", .string, .required)
            .field("public_percent", .int, .required)
            .field("split_seed", .int64, .required)
            .field("daily_cap", .int, .required)
            .field("finals", .int, .required)
            .field("deadline", .datetime, .required)
            .field("answer_key", .string, .required)
            .field("rows", .int, .required)
            .field("revealed_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(HackathonTeam.schema)
            .id()
            .field("hackathon_id", .uuid, .required, .references(Hackathon.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .unique(on: "hackathon_id", "name")
            .create()
        try await database.schema(HackathonMember.schema)
            .id()
            .field("hackathon_id", .uuid, .required, .references(Hackathon.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(HackathonTeam.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "hackathon_id", "user_id")
            .create()
        try await database.schema(HackathonSubmission.schema)
            .id()
            .field("hackathon_id", .uuid, .required, .references(Hackathon.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(HackathonTeam.schema, "id", onDelete: .cascade))
            .field("submitted_by", .uuid, .required)
            .field("submitted_at", .datetime, .required)
            .field("filename", .string, .required)
            .field("predictions", .string, .required)
            .field("status", .string, .required)
            .field("public_score", .double)
            .field("private_score", .double)
            .field("scored_at", .datetime)
            .field("chosen", .bool, .required)
            .create()
        // The scorer's queue and each team's list are read by these.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "hackathon_submissions_status").on(HackathonSubmission.schema).column("status").column("submitted_at").run()
        try await sql.create(index: "hackathon_submissions_team").on(HackathonSubmission.schema).column("team_id").column("submitted_at").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [HackathonSubmission.schema, HackathonMember.schema, HackathonTeam.schema, Hackathon.schema] {
            try await database.schema(schema).delete()
        }
    }
}
