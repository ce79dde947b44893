import Foundation

/// Judges one trainee against a cohort's completion rules, keeping the numbers behind every
/// rule so the run can show *why* (met or not, with what was needed and what was reached).
public enum CompletionJudge {
    /// What the judge needs to know of a trainee, all in minutes (as the hours ledger counts).
    public struct Input: Equatable, Sendable {
        public var plannedMinutes: Int
        public var attendedMinutes: Int
        /// Planned but not yet held.
        public var remainingMinutes: Int
        /// Held but not yet marked for this trainee.
        public var pendingMinutes: Int
        public var departure: Departure?

        public init(plannedMinutes: Int, attendedMinutes: Int, remainingMinutes: Int = 0, pendingMinutes: Int = 0, departure: Departure? = nil) {
            self.plannedMinutes = plannedMinutes
            self.attendedMinutes = attendedMinutes
            self.remainingMinutes = remainingMinutes
            self.pendingMinutes = pendingMinutes
            self.departure = departure
        }
    }

    public struct Check: Codable, Equatable, Sendable {
        public enum Rule: String, Codable, CaseIterable, Sendable {
            /// Every session held and marked: there is nothing left that could change the result.
            case trainingOver = "training_over"
            /// Attended share of the planned hours, in per mille to stay exact.
            case attendance
            /// Attended hours, in minutes.
            case minimumHours = "minimum_hours"
        }

        public let rule: Rule
        public let met: Bool
        /// What the trainee reached and what the rule needs, in the rule's unit (minutes left
        /// to hold or mark; per mille of planned hours; minutes attended).
        public let reached: Int
        public let needed: Int
    }

    public struct Verdict: Codable, Equatable, Sendable {
        public let outcome: CompletionOutcome
        public let checks: [Check]
    }

    public static func judge(_ input: Input, by rules: CompletionRules) -> Verdict {
        let left = input.remainingMinutes + input.pendingMinutes
        var checks = [Check(rule: .trainingOver, met: left == 0, reached: left, needed: 0)]
        let perMille = input.plannedMinutes > 0 ? input.attendedMinutes * 1000 / input.plannedMinutes : 0
        let neededPerMille = Int((rules.attendanceShare * 1000).rounded())
        checks.append(Check(rule: .attendance, met: input.plannedMinutes > 0 && perMille >= neededPerMille, reached: perMille, needed: neededPerMille))
        if let hours = rules.minimumHours {
            checks.append(Check(rule: .minimumHours, met: input.attendedMinutes >= hours * 60, reached: input.attendedMinutes, needed: hours * 60))
        }
        let outcome: CompletionOutcome
        if let departure = input.departure {
            outcome = departure.kind == .dropped ? .dropped : .dismissed
        } else if left > 0 {
            outcome = .inTraining
        } else {
            outcome = checks.allSatisfy(\.met) ? .completed : .notCompleted
        }
        return Verdict(outcome: outcome, checks: checks)
    }
}

/// How one completion run differs from the one before it, trainee by trainee.
public struct CompletionChange<Key: Hashable & Sendable>: Equatable, Sendable {
    public let key: Key
    public let before: CompletionOutcome?
    public let after: CompletionOutcome

    public static func between(_ before: [Key: CompletionOutcome], _ after: [Key: CompletionOutcome]) -> [CompletionChange] {
        after.compactMap { key, outcome in before[key] == outcome ? nil : CompletionChange(key: key, before: before[key], after: outcome) }
    }
}
