import CadetCore
import Fluent

struct CreateCompletion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CompletionRuleVersion.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("rules_json", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "cohort_id", "version")
            .create()
        try await database.schema(TraineeDeparture.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("day", .string, .required)
            .field("reason", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "cohort_id", "trainee_id")
            .create()
        try await database.schema(CompletionOverrideRecord.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("outcome", .string, .required)
            .field("reason", .string, .required)
            .field("decided_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "cohort_id", "trainee_id")
            .create()
        try await database.schema(CompletionRun.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("rules_version", .int, .required)
            .field("attendance_rules_version", .int, .required)
            .field("ran_by", .string, .required)
            .field("ran_at", .datetime, .required)
            .unique(on: "cohort_id", "number")
            .create()
        try await database.schema(CompletionResult.schema)
            .id()
            .field("run_id", .uuid, .required, .references(CompletionRun.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("class_name", .string, .required)
            .field("computed", .string, .required)
            .field("outcome", .string, .required)
            .field("override_reason", .string)
            .field("planned_minutes", .int, .required)
            .field("attended_minutes", .int, .required)
            .field("checks_json", .string, .required)
            .unique(on: "run_id", "trainee_id")
            .create()
        try await database.schema(Certificate.schema)
            .id()
            .field("serial", .string, .required)
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("run_id", .uuid, .required, .references(CompletionRun.schema, "id"))
            .field("holder_name", .string, .required)
            .field("hours", .int, .required)
            .field("issued_at", .datetime, .required)
            .field("status", .string, .required)
            .field("revoked_reason", .string)
            .field("successor_serial", .string)
            .unique(on: "serial")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [Certificate.schema, CompletionResult.schema, CompletionRun.schema, CompletionOverrideRecord.schema,
                       TraineeDeparture.schema, CompletionRuleVersion.schema] {
            try await database.schema(schema).delete()
        }
    }
}

struct CreateAward: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Award.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("awarded_on", .string, .required)
            .field("recorded_by", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Award.schema).delete()
    }
}
