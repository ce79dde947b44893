import Fluent
import Foundation
import SQLKit

/// A submission waiting for, or graded by, a grading worker. Shared through the database so
/// that several workers on several machines serve one academy.
final class GradingJob: Model, @unchecked Sendable {
    static let schema = "grading_jobs"

    enum Status: String, Codable, Sendable {
        case queued, leased, done, failed
    }

    enum Priority: Int {
        /// Someone is waiting at a screen: a taker's sample run, staff checking a question.
        case interactive = 0
        /// Submissions and re-grading.
        case background = 1
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "status") var status: Status
    /// What the job is for (`check`, `sample`, `submission`), for the pages that show results.
    @Field(key: "purpose") var purpose: String
    /// What the job grades, for the code that records its result (e.g. an exam answer's id).
    @OptionalField(key: "reference") var reference: String?
    /// Lower goes first: a taker waiting on a sample run matters more than grading that nobody
    /// is watching.
    @Field(key: "priority") var priority: Int
    @Field(key: "problem_json") var problemJSON: String
    @Field(key: "source") var source: String
    @OptionalField(key: "result_json") var resultJSON: String?
    @OptionalField(key: "verdict") var verdict: String?
    @OptionalField(key: "score") var score: Double?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "lease_owner") var leaseOwner: String?
    @OptionalField(key: "lease_token") var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") var leaseExpiresAt: Date?
    @Field(key: "enqueued_at") var enqueuedAt: Date
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}

struct CreateGradingJob: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GradingJob.schema)
            .id()
            .field("status", .string, .required)
            .field("purpose", .string, .required)
            .field("problem_json", .string, .required)
            .field("source", .string, .required)
            .field("result_json", .string)
            .field("verdict", .string)
            .field("score", .double)
            .field("attempts", .int, .required)
            .field("lease_owner", .string)
            .field("lease_token", .uuid)
            .field("lease_expires_at", .datetime)
            .field("enqueued_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .create()
        // Workers look for the oldest waiting job; metrics count by status.
        try await (database as! any SQLDatabase).create(index: "grading_jobs_status_enqueued")
            .on(GradingJob.schema).column("status").column("enqueued_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GradingJob.schema).delete()
    }
}
