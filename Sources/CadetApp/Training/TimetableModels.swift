import CadetCore
import Fluent
import Foundation
import SQLKit

/// A course (subject) of a cohort's curriculum, inside one of its phases, with the hours it
/// plans.
final class Course: Model, @unchecked Sendable {
    // @unchecked: Fluent models are reference types whose property wrappers Fluent synchronises.
    static let schema = "courses"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @OptionalParent(key: "phase_id") var phase: CohortPhase?
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "planned_hours") var plannedHours: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One session of a class: a day, a time, a course, a room or an online link, an instructor.
final class TrainingSession: Model, @unchecked Sendable {
    static let schema = "training_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "class_id") var trainingClass: TrainingClass
    @Parent(key: "course_id") var course: Course
    /// The day in the academy's time zone, `YYYY-MM-DD`.
    @Field(key: "day") var day: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    /// Training minutes (the span less any break).
    @Field(key: "minutes") var minutes: Int
    @OptionalField(key: "room") var room: String?
    @OptionalField(key: "online_link") var onlineLink: String?
    @OptionalParent(key: "instructor_id") var instructor: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var date: CalendarDate { CalendarDate(iso: day)! }
}

/// A day the academy does not teach (beyond Korea's public holidays).
final class AcademyClosure: Model, @unchecked Sendable {
    static let schema = "academy_closures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "day") var day: String
    @Field(key: "reason") var reason: String

    init() {}
}

struct CreateCourse: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Course.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("phase_id", .uuid, .references(CohortPhase.schema, "id", onDelete: .setNull))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("planned_hours", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "cohort_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Course.schema).delete()
    }
}

struct CreateTrainingSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrainingSession.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("class_id", .uuid, .required, .references(TrainingClass.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("minutes", .int, .required)
            .field("room", .string)
            .field("online_link", .string)
            .field("instructor_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "class_id", "starts_at")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "training_sessions_cohort_day").on(TrainingSession.schema).column("cohort_id").column("day").run()
        try await sql.create(index: "training_sessions_instructor").on(TrainingSession.schema).column("instructor_id").column("day").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrainingSession.schema).delete()
    }
}

struct CreateAcademyClosure: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AcademyClosure.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("reason", .string, .required)
            .unique(on: "programme_id", "day")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AcademyClosure.schema).delete()
    }
}
