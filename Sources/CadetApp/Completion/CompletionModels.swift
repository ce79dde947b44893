import CadetCore
import Fluent
import Foundation

/// A version of a cohort's completion rules; the newest is in force.
final class CompletionRuleVersion: Model, @unchecked Sendable {
    static let schema = "completion_rule_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "version") var version: Int
    @Field(key: "rules_json") var rulesJSON: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var rules: CompletionRules {
        (try? JSONDecoder().decode(CompletionRules.self, from: Data(rulesJSON.utf8))) ?? CompletionRules()
    }
}

/// A trainee who left before the end (dropped out or dismissed), one per trainee and cohort.
final class TraineeDeparture: Model, @unchecked Sendable {
    static let schema = "trainee_departures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "kind") var kind: Departure.Kind
    @Field(key: "day") var day: String
    @Field(key: "reason") var reason: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var departure: Departure? { CalendarDate(iso: day).map { Departure(kind: kind, on: $0, reason: reason) } }
}

/// Staff's decision against the rules for one trainee, with the mandatory reason.
final class CompletionOverrideRecord: Model, @unchecked Sendable {
    static let schema = "completion_overrides"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "outcome") var outcome: CompletionOutcome
    @Field(key: "reason") var reason: String
    @Field(key: "decided_by") var decidedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One completion run: every trainee of the cohort judged by one version of the rules, kept so
/// certificates, refunds and reports can say which run decided them.
final class CompletionRun: Model, @unchecked Sendable {
    static let schema = "completion_runs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    /// 1, 2, 3… within the cohort; the highest is in force.
    @Field(key: "number") var number: Int
    @Field(key: "rules_version") var rulesVersion: Int
    @Field(key: "attendance_rules_version") var attendanceRulesVersion: Int
    @Field(key: "ran_by") var ranBy: String
    @Field(key: "ran_at") var ranAt: Date

    init() {}
}

/// One trainee's outcome in one run: what the rules say, what stands after any override, and the
/// numbers behind every rule.
final class CompletionResult: Model, @unchecked Sendable {
    static let schema = "completion_results"

    @ID(key: .id) var id: UUID?
    @Parent(key: "run_id") var run: CompletionRun
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "class_name") var className: String
    @Field(key: "computed") var computed: CompletionOutcome
    @Field(key: "outcome") var outcome: CompletionOutcome
    @OptionalField(key: "override_reason") var overrideReason: String?
    @Field(key: "planned_minutes") var plannedMinutes: Int
    @Field(key: "attended_minutes") var attendedMinutes: Int
    @Field(key: "checks_json") var checksJSON: String

    init() {}

    var checks: [CompletionJudge.Check] {
        (try? JSONDecoder().decode([CompletionJudge.Check].self, from: Data(checksJSON.utf8))) ?? []
    }
}

/// A completion certificate (수료증). Never deleted: a revoked one says so on the verify page,
/// and a re-issued one points at its successor.
final class Certificate: Model, @unchecked Sendable {
    static let schema = "certificates"

    enum Status: String, Codable, CaseIterable, Sendable {
        case valid, revoked, superseded
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "serial") var serial: String
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Parent(key: "run_id") var run: CompletionRun
    /// As printed: later changes to the account do not rewrite an issued certificate.
    @Field(key: "holder_name") var holderName: String
    @Field(key: "hours") var hours: Int
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "status") var status: Status
    @OptionalField(key: "revoked_reason") var revokedReason: String?
    @OptionalField(key: "successor_serial") var successorSerial: String?

    init() {}
}

/// An award to a trainee (best trainee, a hackathon prize, the four sent to CES), recorded by
/// staff; printed on the certificate and shown on the verify page.
final class Award: Model, @unchecked Sendable {
    static let schema = "awards"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "title") var title: String
    @Field(key: "awarded_on") var awardedOn: String
    @Field(key: "recorded_by") var recordedBy: String

    init() {}
}
