import CadetCore
import Fluent
import Foundation
import SQLKit

/// A round's online admission test: its timing and its content.
final class Exam: Model, @unchecked Sendable {
    static let schema = "exams"

    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: RecruitmentRound
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "window_end") var windowEnd: Date
    @Field(key: "duration_minutes") var durationMinutes: Int
    @Field(key: "late_start_minutes") var lateStartMinutes: Int
    @Field(key: "grace_seconds") var graceSeconds: Int
    @Field(key: "definition_json") var definitionJSON: String
    /// Counts changes to the content; attempts keep the version they were prepared with.
    @Field(key: "version") var version: Int
    @OptionalField(key: "prepared_at") var preparedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var timing: ExamTiming {
        ExamTiming(windowStart: windowStart, windowEnd: windowEnd, durationMinutes: durationMinutes,
                   lateStartMinutes: lateStartMinutes, graceSeconds: graceSeconds)
    }

    func apply(_ timing: ExamTiming) {
        windowStart = timing.windowStart
        windowEnd = timing.windowEnd
        durationMinutes = timing.durationMinutes
        lateStartMinutes = timing.lateStartMinutes
        graceSeconds = timing.graceSeconds
    }
}

/// One applicant's attempt: their paper, their clock and their scores.
final class ExamAttempt: Model, @unchecked Sendable {
    static let schema = "exam_attempts"

    enum Status: String, Codable, Sendable {
        case prepared, started, submitted
    }

    var paper: Paper {
        (try? JSONDecoder().decode(Paper.self, from: Data(paperJSON.utf8))) ?? Paper(items: [])
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "exam_id") var exam: Exam
    @Parent(key: "applicant_id") var applicant: Applicant
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "paper_json") var paperJSON: String
    /// The exam content version the paper was drawn from.
    @Field(key: "paper_version") var paperVersion: Int
    @Field(key: "status") var status: Status
    @Field(key: "extra_minutes") var extraMinutes: Int
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "deadline_at") var deadlineAt: Date?
    /// The deadline plus the exam's grace: saves are taken until then.
    @OptionalField(key: "saves_until") var savesUntil: Date?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    /// The session that may save: opening the test elsewhere moves it there.
    @OptionalField(key: "active_session") var activeSession: UUID?
    @OptionalField(key: "last_seen_at") var lastSeenAt: Date?
    @OptionalField(key: "objective_score") var objectiveScore: Double?
    @OptionalField(key: "code_score") var codeScore: Double?
    @OptionalField(key: "max_score") var maxScore: Double?
    @OptionalField(key: "total_score") var totalScore: Double?
    @OptionalField(key: "graded_at") var gradedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// The latest saved answer to one question of an attempt. `seq` only goes up: a duplicate, a
/// replay or a late-arriving older save changes nothing.
final class ExamAnswer: Model, @unchecked Sendable {
    static let schema = "exam_answers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "attempt_id") var attempt: ExamAttempt
    @Field(key: "question_key") var questionKey: String
    @Field(key: "value") var value: String
    @Field(key: "seq") var seq: Int
    @Field(key: "saved_at") var savedAt: Date
    @OptionalField(key: "score") var score: Double?
    @OptionalField(key: "grading_job_id") var gradingJobID: UUID?
    @OptionalField(key: "verdict") var verdict: String?

    init() {}
}

/// What happened during an attempt, for staff: starts, resumes, takeovers, focus losses, pastes,
/// connection drops, submission. Signals, not verdicts.
final class ExamEvent: Model, @unchecked Sendable {
    static let schema = "exam_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "attempt_id") var attempt: ExamAttempt
    @Field(key: "kind") var kind: String
    @OptionalField(key: "detail") var detail: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    @Field(key: "at") var at: Date

    init() {}
}

struct CreateExam: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Exam.schema)
            .id()
            .field("round_id", .uuid, .required, .references(RecruitmentRound.schema, "id", onDelete: .cascade))
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .field("duration_minutes", .int, .required)
            .field("late_start_minutes", .int, .required)
            .field("grace_seconds", .int, .required)
            .field("definition_json", .string, .required)
            .field("version", .int, .required)
            .field("prepared_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "round_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Exam.schema).delete()
    }
}

struct CreateExamAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExamAttempt.schema)
            .id()
            .field("exam_id", .uuid, .required, .references(Exam.schema, "id", onDelete: .cascade))
            .field("applicant_id", .uuid, .required, .references(Applicant.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid)
            .field("paper_json", .string, .required)
            .field("paper_version", .int, .required)
            .field("status", .string, .required)
            .field("extra_minutes", .int, .required)
            .field("started_at", .datetime)
            .field("deadline_at", .datetime)
            .field("saves_until", .datetime)
            .field("submitted_at", .datetime)
            .field("active_session", .uuid)
            .field("last_seen_at", .datetime)
            .field("objective_score", .double)
            .field("code_score", .double)
            .field("max_score", .double)
            .field("total_score", .double)
            .field("graded_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "exam_id", "applicant_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "exam_attempts_exam_status").on(ExamAttempt.schema).column("exam_id").column("status").run()
        try await sql.create(index: "exam_attempts_user").on(ExamAttempt.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExamAttempt.schema).delete()
    }
}

struct CreateExamAnswer: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExamAnswer.schema)
            .id()
            .field("attempt_id", .uuid, .required, .references(ExamAttempt.schema, "id", onDelete: .cascade))
            .field("question_key", .string, .required)
            .field("value", .string, .required)
            .field("seq", .int, .required)
            .field("saved_at", .datetime, .required)
            .field("score", .double)
            .field("grading_job_id", .uuid)
            .field("verdict", .string)
            .unique(on: "attempt_id", "question_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExamAnswer.schema).delete()
    }
}

struct CreateExamEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExamEvent.schema)
            .id()
            .field("attempt_id", .uuid, .required, .references(ExamAttempt.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("detail", .string)
            .field("address", .string)
            .field("user_agent", .string)
            .field("at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "exam_events_attempt").on(ExamEvent.schema).column("attempt_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExamEvent.schema).delete()
    }
}

/// Grading jobs say what they grade (an exam answer, say), so results can find their way back,
/// and how urgent they are.
struct AddGradingJobReference: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per statement.
        try await database.schema(GradingJob.schema).field("reference", .string).update()
        try await database.schema(GradingJob.schema)
            .field("priority", .int, .required, .sql(.default(GradingJob.Priority.background.rawValue))).update()
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "grading_jobs_status_enqueued").run()
        try await sql.create(index: "grading_jobs_waiting").on(GradingJob.schema).column("status").column("priority").column("enqueued_at").run()
        try await sql.create(index: "grading_jobs_reference").on(GradingJob.schema).column("reference").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "grading_jobs_waiting").run()
        try await sql.drop(index: "grading_jobs_reference").run()
        try await database.schema(GradingJob.schema).deleteField("reference").update()
        try await database.schema(GradingJob.schema).deleteField("priority").update()
        try await sql.create(index: "grading_jobs_status_enqueued").on(GradingJob.schema).column("status").column("enqueued_at").run()
    }
}
