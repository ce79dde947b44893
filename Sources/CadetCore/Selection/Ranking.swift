import Foundation

/// How a round weighs and compares applicants, published before scoring starts.
public struct SelectionRules: Equatable, Sendable, Codable {
    public struct Criterion: Equatable, Sendable, Codable {
        public enum Source: String, Codable, Sendable, CaseIterable {
            /// Scored by reviewers on the application's documents.
            case documents
            /// The admission test's score.
            case test
            /// Scored by interviewers.
            case interview
            /// Scored by the selection committee.
            case committee
        }

        public var key: String
        public var source: Source
        /// Share of the final score, in percent of the weights' total.
        public var weight: Double
        /// The highest score on this criterion's scale.
        public var scale: Double

        public init(key: String, source: Source, weight: Double, scale: Double) {
            self.key = key
            self.source = source
            self.weight = weight
            self.scale = scale
        }
    }

    public enum Normalisation: String, Codable, Sendable, CaseIterable {
        case none
        /// Each reviewer's scores are turned into z-scores and mapped back onto the pool's mean
        /// and spread, so a lenient and a strict reviewer count alike.
        case zScore = "z_score"
    }

    /// Comparisons that decide between equal final scores, in order.
    public enum TieBreak: String, Codable, Sendable, CaseIterable {
        case higherTestScore = "higher_test_score"
        case higherInterviewScore = "higher_interview_score"
        case higherDocumentScore = "higher_document_score"
        case earlierSubmission = "earlier_submission"
        case lowerApplicationNumber = "lower_application_number"
    }

    public var criteria: [Criterion]
    public var normalisation: Normalisation
    public var tieBreaks: [TieBreak]

    public init(criteria: [Criterion], normalisation: Normalisation = .none, tieBreaks: [TieBreak] = [.higherTestScore, .higherInterviewScore, .earlierSubmission, .lowerApplicationNumber]) {
        self.criteria = criteria
        self.normalisation = normalisation
        self.tieBreaks = tieBreaks
    }

    public static let standard = SelectionRules(criteria: [
        Criterion(key: "documents", source: .documents, weight: 30, scale: 100),
        Criterion(key: "test", source: .test, weight: 40, scale: 100),
        Criterion(key: "interview", source: .interview, weight: 30, scale: 100),
    ])

    var totalWeight: Double { criteria.reduce(0) { $0 + $1.weight } }
}

/// One applicant's inputs to the ranking.
public struct Candidate: Equatable, Sendable {
    public struct ReviewerScore: Equatable, Sendable {
        public let reviewer: String
        public let score: Double

        public init(reviewer: String, score: Double) {
            self.reviewer = reviewer
            self.score = score
        }
    }

    public let id: UUID
    /// The applicant's number in the round (application order), for the last tie-break.
    public let number: Int
    public let submittedAt: Date
    /// Scores per criterion key: one per reviewer for reviewed criteria, or a single score
    /// (reviewer "") for the test and imported scores.
    public let scores: [String: [ReviewerScore]]

    public init(id: UUID, number: Int, submittedAt: Date, scores: [String: [ReviewerScore]]) {
        self.id = id
        self.number = number
        self.submittedAt = submittedAt
        self.scores = scores
    }
}

/// The ranking's result for one applicant, with everything needed to explain it.
public struct RankedCandidate: Equatable, Sendable {
    public struct Component: Equatable, Sendable {
        public let key: String
        public let weight: Double
        /// The criterion's value on its own scale after normalisation (mean over reviewers).
        public let value: Double?
        /// What it adds to the final score (out of 100).
        public let points: Double
        public let reviewerScores: [Candidate.ReviewerScore]
        public let normalisedScores: [Candidate.ReviewerScore]
    }

    public let id: UUID
    public let finalScore: Double
    public let components: [Component]
    public let rank: Int
    public let decision: Decision
    /// For a waitlisted applicant: their place on the list, from 1.
    public let waitlistPosition: Int?
    /// The rule that ordered this applicant against the one ranked just above with the same
    /// final score, if any.
    public let tieBreak: SelectionRules.TieBreak?
    /// A criterion with no score at all: the applicant cannot be ranked fairly yet.
    public let missing: [String]

    public enum Decision: String, Sendable, Codable {
        case admitted, waitlisted
    }
}

public enum Ranking {
    /// Ranks candidates and decides: the first `capacity` are admitted, the rest form the
    /// ordered waiting list. Scores of 0...scale only; missing criteria count as 0 and are named.
    public static func rank(_ candidates: [Candidate], rules: SelectionRules, capacity: Int) -> [RankedCandidate] {
        let normalised = normalise(candidates, rules: rules)
        let total = rules.totalWeight
        struct Scored {
            let candidate: Candidate
            let final: Double
            let components: [RankedCandidate.Component]
            let missing: [String]
        }
        let scored: [Scored] = candidates.map { candidate in
            var components: [RankedCandidate.Component] = []
            var missing: [String] = []
            var final = 0.0
            for criterion in rules.criteria {
                let raw = candidate.scores[criterion.key] ?? []
                let adjusted = normalised[candidate.id]?[criterion.key] ?? raw
                let value = adjusted.isEmpty ? nil : adjusted.map(\.score).reduce(0, +) / Double(adjusted.count)
                if value == nil { missing.append(criterion.key) }
                let share = total > 0 ? criterion.weight / total : 0
                let points = (value.map { min(max($0, 0), criterion.scale) / criterion.scale } ?? 0) * share * 100
                final += points
                components.append(.init(key: criterion.key, weight: criterion.weight, value: value, points: points,
                                        reviewerScores: raw, normalisedScores: adjusted))
            }
            return Scored(candidate: candidate, final: final, components: components, missing: missing)
        }

        // Equal up to rounding noise in the last places: published results show two decimals.
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }
        func tieBreak(_ a: Scored, _ b: Scored) -> (Bool, SelectionRules.TieBreak)? {
            for rule in rules.tieBreaks {
                let x = tieValue(rule, a.candidate, a.components), y = tieValue(rule, b.candidate, b.components)
                if !same(x, y) { return (x > y, rule) }
            }
            return nil
        }
        let ordered = scored.sorted { a, b in
            if !same(a.final, b.final) { return a.final > b.final }
            return tieBreak(a, b)?.0 ?? (a.candidate.id.uuidString < b.candidate.id.uuidString)
        }
        return ordered.enumerated().map { index, s in
            var rule: SelectionRules.TieBreak?
            if index > 0, same(ordered[index - 1].final, s.final) { rule = tieBreak(ordered[index - 1], s)?.1 }
            let admitted = index < capacity
            return RankedCandidate(id: s.candidate.id, finalScore: s.final, components: s.components, rank: index + 1,
                                   decision: admitted ? .admitted : .waitlisted,
                                   waitlistPosition: admitted ? nil : index - capacity + 1,
                                   tieBreak: rule, missing: s.missing)
        }
    }

    /// Larger is better for every rule, so earlier and lower are negated.
    static func tieValue(_ rule: SelectionRules.TieBreak, _ c: Candidate, _ components: [RankedCandidate.Component]) -> Double {
        func source(_ key: String) -> Double { components.first { $0.key == key }?.value ?? -1 }
        switch rule {
        case .higherTestScore: return source("test")
        case .higherInterviewScore: return source("interview")
        case .higherDocumentScore: return source("documents")
        case .earlierSubmission: return -c.submittedAt.timeIntervalSince1970
        case .lowerApplicationNumber: return -Double(c.number)
        }
    }

    /// Per reviewer z-scores, mapped back onto the pool's mean and standard deviation for that
    /// criterion. A reviewer who scored fewer than two applicants, or all alike, keeps raw scores.
    static func normalise(_ candidates: [Candidate], rules: SelectionRules) -> [UUID: [String: [Candidate.ReviewerScore]]] {
        guard rules.normalisation == .zScore else { return [:] }
        var result: [UUID: [String: [Candidate.ReviewerScore]]] = [:]
        for criterion in rules.criteria where criterion.source == .documents || criterion.source == .interview || criterion.source == .committee {
            let all = candidates.flatMap { $0.scores[criterion.key] ?? [] }.map(\.score)
            guard all.count >= 2 else { continue }
            let poolMean = mean(all), poolSD = standardDeviation(all)
            var byReviewer: [String: [Double]] = [:]
            for candidate in candidates {
                for score in candidate.scores[criterion.key] ?? [] { byReviewer[score.reviewer, default: []].append(score.score) }
            }
            let stats = byReviewer.mapValues { (mean($0), standardDeviation($0), $0.count) }
            for candidate in candidates {
                let adjusted = (candidate.scores[criterion.key] ?? []).map { score -> Candidate.ReviewerScore in
                    guard let (m, sd, n) = stats[score.reviewer], n >= 2, sd > 0 else { return score }
                    let z = (score.score - m) / sd
                    return .init(reviewer: score.reviewer, score: min(max(poolMean + z * poolSD, 0), criterion.scale))
                }
                result[candidate.id, default: [:]][criterion.key] = adjusted
            }
        }
        return result
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
    }
}
