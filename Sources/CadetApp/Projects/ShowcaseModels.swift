import CadetCore
import Fluent
import Foundation

/// A cohort's final showcase (성과보고회): where the teams present, who judges them and how, and
/// whether its public page is out.
final class Showcase: Model, @unchecked Sendable {
    static let schema = "showcases"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "title") var title: String
    @Field(key: "held_on") var heldOn: String
    @Field(key: "place") var place: String
    /// The rubric as JSON (Rubric).
    @Field(key: "rubric") var rubricJSON: String
    /// Judges also compare teams two at a time (Crowd-BT).
    @Field(key: "pairwise") var pairwise: Bool
    /// The public page `/showcase/<programme>/<cohort>` is out.
    @Field(key: "published") var published: Bool

    init() {}

    var rubric: Rubric { (try? JSONDecoder().decode(Rubric.self, from: Data(rubricJSON.utf8))) ?? .standard }
}

/// A person appointed to judge a showcase.
final class ShowcaseJudge: Model, @unchecked Sendable {
    static let schema = "showcase_judges"

    @ID(key: .id) var id: UUID?
    @Parent(key: "showcase_id") var showcase: Showcase
    @Parent(key: "user_id") var user: User

    init() {}
}

/// One judge's rubric marks for one team, one mark per criterion (JSON array); a judge marks a
/// team once and may correct it.
final class RubricScore: Model, @unchecked Sendable {
    static let schema = "rubric_scores"

    @ID(key: .id) var id: UUID?
    @Parent(key: "showcase_id") var showcase: Showcase
    @Field(key: "judge_id") var judgeID: UUID
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @Field(key: "marks") var marksJSON: String
    @Field(key: "marked_at") var markedAt: Date

    init() {}

    var marks: [Int] { (try? JSONDecoder().decode([Int].self, from: Data(marksJSON.utf8))) ?? [] }
}

/// One pairwise judgement: the judge preferred `winner` to `loser`. Replayed in order by Crowd-BT.
final class PairwiseVote: Model, @unchecked Sendable {
    static let schema = "pairwise_votes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "showcase_id") var showcase: Showcase
    @Field(key: "judge_id") var judgeID: UUID
    @Field(key: "winner_id") var winnerID: UUID
    @Field(key: "loser_id") var loserID: UUID
    @Field(key: "voted_at") var votedAt: Date

    init() {}
}

/// An award a team won at the showcase; each member also has it on their record (Award).
final class ShowcaseAward: Model, @unchecked Sendable {
    static let schema = "showcase_awards"

    @ID(key: .id) var id: UUID?
    @Parent(key: "showcase_id") var showcase: Showcase
    @Parent(key: "proposal_id") var proposal: ProjectProposal
    @Field(key: "title") var title: String

    init() {}
}

struct CreateShowcases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Showcase.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            .field("rubric", .string, .required)
            .field("pairwise", .bool, .required)
            .field("published", .bool, .required)
            .unique(on: "cohort_id", name: "showcases_one_per_cohort")
            .create()
        try await database.schema(ShowcaseJudge.schema)
            .id()
            .field("showcase_id", .uuid, .required, .references(Showcase.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "showcase_id", "user_id", name: "showcase_judges_once")
            .create()
        try await database.schema(RubricScore.schema)
            .id()
            .field("showcase_id", .uuid, .required, .references(Showcase.schema, "id", onDelete: .cascade))
            .field("judge_id", .uuid, .required)
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("marks", .string, .required)
            .field("marked_at", .datetime, .required)
            .unique(on: "showcase_id", "judge_id", "proposal_id", name: "rubric_scores_once")
            .create()
        try await database.schema(PairwiseVote.schema)
            .id()
            .field("showcase_id", .uuid, .required, .references(Showcase.schema, "id", onDelete: .cascade))
            .field("judge_id", .uuid, .required)
            .field("winner_id", .uuid, .required)
            .field("loser_id", .uuid, .required)
            .field("voted_at", .datetime, .required)
            .create()
        try await database.schema(ShowcaseAward.schema)
            .id()
            .field("showcase_id", .uuid, .required, .references(Showcase.schema, "id", onDelete: .cascade))
            .field("proposal_id", .uuid, .required, .references(ProjectProposal.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ShowcaseAward.schema, PairwiseVote.schema, RubricScore.schema, ShowcaseJudge.schema, Showcase.schema] {
            try await database.schema(schema).delete()
        }
    }
}
