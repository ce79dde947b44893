import CadetCore
import Fluent
import Foundation
import SQLKit

/// One trainee at one session: the status, the minutes it counts, and how it came to be.
final class AttendanceRecord: Model, @unchecked Sendable {
    static let schema = "attendance_records"

    enum Source: String, Codable, Sendable {
        /// The trainee checked in (and out) with the code shown in the room.
        case checkIn = "check_in"
        /// An instructor, TA or staff member marked it on the roster.
        case staff
        /// An approved excused absence.
        case excuse
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: TrainingSession
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "status") var status: AttendanceStatus
    @Field(key: "attended_minutes") var attendedMinutes: Int
    @OptionalField(key: "check_in_at") var checkInAt: Date?
    @OptionalField(key: "check_out_at") var checkOutAt: Date?
    @Field(key: "source") var source: Source
    @OptionalField(key: "note") var note: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A programme's attendance rules; every change is a new version.
final class AttendanceRuleVersion: Model, @unchecked Sendable {
    static let schema = "attendance_rule_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "version") var version: Int
    @Field(key: "rules_json") var rulesJSON: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var rules: AttendanceRules {
        (try? JSONDecoder().decode(AttendanceRules.self, from: Data(rulesJSON.utf8))) ?? .standard
    }
}

/// A trainee's request for an excused absence (공가), with evidence, and staff's decision.
final class ExcuseRequest: Model, @unchecked Sendable {
    static let schema = "excuse_requests"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending, approved, rejected
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "first_day") var firstDay: String
    @Field(key: "last_day") var lastDay: String
    @Field(key: "reason") var reason: String
    @OptionalField(key: "evidence_name") var evidenceName: String?
    @OptionalField(key: "evidence_type") var evidenceType: String?
    @OptionalField(key: "evidence_storage") var evidenceStorage: String?
    @Field(key: "status") var status: Status
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_note") var decisionNote: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A warning sent about a trainee's attendance, kept so that each threshold is told once.
final class AttendanceWarning: Model, @unchecked Sendable {
    static let schema = "attendance_warnings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    /// `HoursLedger.Warning.key`: `total_absence`, `unit_absence:2`, ….
    @Field(key: "kind") var kind: String
    @Timestamp(key: "sent_at", on: .create) var sentAt: Date?

    init() {}
}

struct CreateAttendanceRecord: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AttendanceRecord.schema)
            .id()
            .field("session_id", .uuid, .required, .references(TrainingSession.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("attended_minutes", .int, .required)
            .field("check_in_at", .datetime)
            .field("check_out_at", .datetime)
            .field("source", .string, .required)
            .field("note", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "session_id", "trainee_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "attendance_records_trainee").on(AttendanceRecord.schema).column("trainee_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AttendanceRecord.schema).delete()
    }
}

struct CreateAttendanceRuleVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AttendanceRuleVersion.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("rules_json", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AttendanceRuleVersion.schema).delete()
    }
}

struct CreateExcuseRequest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExcuseRequest.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("first_day", .string, .required)
            .field("last_day", .string, .required)
            .field("reason", .string, .required)
            .field("evidence_name", .string)
            .field("evidence_type", .string)
            .field("evidence_storage", .string)
            .field("status", .string, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExcuseRequest.schema).delete()
    }
}

struct CreateAttendanceWarning: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AttendanceWarning.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("sent_at", .datetime)
            .unique(on: "cohort_id", "trainee_id", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AttendanceWarning.schema).delete()
    }
}
