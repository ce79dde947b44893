import Foundation

/// Where a trainee stands at the end of training. Only `completed` earns a certificate and a
/// sponsor's refund.
public enum CompletionOutcome: String, Codable, CaseIterable, Sendable {
    /// Training is not over yet (sessions to come, or held but not marked).
    case inTraining = "in_training"
    case completed
    case notCompleted = "not_completed"
    /// Left of their own accord (중도탈락), with a date and a reason.
    case dropped
    /// Removed by the academy (제적), with a date and a reason.
    case dismissed
}

/// A trainee who left before the end, recorded by staff.
public struct Departure: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case dropped
        case dismissed
    }

    public let kind: Kind
    public let on: CalendarDate
    public let reason: String

    public init(kind: Kind, on: CalendarDate, reason: String) {
        self.kind = kind
        self.on = on
        self.reason = reason
    }

    /// Reads the departure form: kind, day and a reason someone can audit later.
    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> Departure {
        var reader = FieldReader(values)
        let kind = reader.choice("kind", as: Kind.self)
        let day = reader.date("day")
        let reason = reader.text("reason", minLength: 3, maxLength: 500)
        try reader.check()
        return Departure(kind: kind!, on: day!, reason: reason!)
    }
}

/// Staff deciding an outcome against the rules; the reason is mandatory and audited.
public struct CompletionOverride: Codable, Equatable, Sendable {
    public let outcome: CompletionOutcome
    public let reason: String

    public init(outcome: CompletionOutcome, reason: String) {
        self.outcome = outcome
        self.reason = reason
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> CompletionOverride {
        var reader = FieldReader(values)
        let outcome = reader.choice("outcome", as: CompletionOutcome.self)
        let reason = reader.text("reason", minLength: 3, maxLength: 500)
        try reader.check()
        return CompletionOverride(outcome: outcome!, reason: reason!)
    }
}
