import Fluent
import Foundation

/// A class (반): one dedicated instructor, one teaching assistant, its trainees.
final class TrainingClass: Model, @unchecked Sendable {
    static let schema = "training_classes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "name") var name: String
    @OptionalParent(key: "instructor_id") var instructor: User?
    @OptionalParent(key: "assistant_id") var assistant: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(cohortID: UUID, name: String, instructorID: UUID?, assistantID: UUID?) {
        self.$cohort.id = cohortID
        self.name = name
        self.$instructor.id = instructorID
        self.$assistant.id = assistantID
    }
}

struct CreateTrainingClass: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrainingClass.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("instructor_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("assistant_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "cohort_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TrainingClass.schema).delete()
    }
}

/// A trainee's place in a class. A trainee is in at most one class per cohort.
final class ClassMember: Model, @unchecked Sendable {
    static let schema = "class_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "class_id") var trainingClass: TrainingClass
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "user_id") var user: User

    init() {}

    init(classID: UUID, cohortID: UUID, userID: UUID) {
        self.$trainingClass.id = classID
        self.$cohort.id = cohortID
        self.$user.id = userID
    }
}

struct CreateClassMember: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClassMember.schema)
            .id()
            .field("class_id", .uuid, .required, .references(TrainingClass.schema, "id", onDelete: .cascade))
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "cohort_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClassMember.schema).delete()
    }
}
