import CadetCore
import Fluent
import Foundation

/// Ranks a round's applicants with the published rules and records the decisions.
struct SelectionService {
    let database: any Database
    let actor: Actor
    let localizer: Localizer

    /// Stages whose applicants the committee decides on.
    static let decidable: [ApplicationStage] = [.committee, .admitted, .waitlisted]

    /// The ranking as it stands, without changing anything.
    func preview(round: RecruitmentRound) async throws -> (ranked: [RankedCandidate], applicants: [UUID: Applicant], rules: SelectionRules) {
        let rules = try await RoundService.rules(of: round, on: database)
        let applicants = try await Applicant.query(on: database)
            .filter(\.$round.$id == round.requireID())
            .filter(\.$stage ~~ Self.decidable)
            .all()
        let candidates = try await ScoreBoard(database: database).candidates(applicants, rules: rules, roundID: round.requireID())
        let ranked = Ranking.rank(candidates, rules: rules, capacity: round.capacity)
        return (ranked, Dictionary(uniqueKeysWithValues: applicants.map { ($0.id!, $0) }), rules)
    }

    /// Admits the first `capacity`, puts the rest on the waiting list in order, keeps the
    /// explanation with each, and tells each applicant.
    func decide(round: RecruitmentRound, cohort: Cohort) async throws -> (admitted: Int, waitlisted: Int) {
        let (ranked, applicants, rules) = try await preview(round: round)
        let now = Date()
        return try await database.transaction { db in
            var admitted = 0, waitlisted = 0
            for result in ranked {
                guard let applicant = applicants[result.id] else { continue }
                let stage: ApplicationStage = result.decision == .admitted ? .admitted : .waitlisted
                let before = applicant.stage
                applicant.stage = stage
                applicant.finalScore = (result.finalScore * 100).rounded() / 100
                applicant.rank = result.rank
                applicant.waitlistPosition = result.waitlistPosition
                applicant.tieBreak = result.tieBreak?.rawValue
                applicant.decisionJSON = DecisionRecord(result, rules: rules).json
                applicant.decidedAt = now
                try await applicant.update(on: db)
                if before != stage {
                    try await Notices.stageChanged(applicant, to: stage, cohort: cohort, localizer: localizer, on: db)
                }
                if stage == .admitted { admitted += 1 } else { waitlisted += 1 }
            }
            try await AuditLog.record(AuditEntry(action: "selection.decided", entityType: "round", entityID: round.id,
                                                 summary: "\(cohort.slug): \(admitted) admitted, \(waitlisted) waitlisted",
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id,
                                                 after: DecisionSummary(admitted: admitted, waitlisted: waitlisted, capacity: round.capacity)),
                                      by: actor, on: db)
            return (admitted, waitlisted)
        }
    }
}

struct DecisionSummary: Codable, Sendable {
    let admitted: Int
    let waitlisted: Int
    let capacity: Int
}

/// The explanation kept with a decision: every component, its weight and the reviewers' scores.
struct DecisionRecord: Codable, Sendable {
    struct Component: Codable, Sendable {
        let key: String
        let weight: Double
        let share: Double
        let value: Double?
        let points: Double
        let reviewers: [Reviewer]
    }

    struct Reviewer: Codable, Sendable {
        let reviewer: String
        let score: Double
        let normalised: Double
    }

    let finalScore: Double
    let rank: Int
    let decision: String
    let waitlistPosition: Int?
    let tieBreak: String?
    let tieBreaks: [String]
    let normalisation: String
    let missing: [String]
    let components: [Component]

    init(_ r: RankedCandidate, rules: SelectionRules) {
        let total = rules.criteria.reduce(0) { $0 + $1.weight }
        finalScore = r.finalScore
        rank = r.rank
        decision = r.decision.rawValue
        waitlistPosition = r.waitlistPosition
        tieBreak = r.tieBreak?.rawValue
        tieBreaks = rules.tieBreaks.map(\.rawValue)
        normalisation = rules.normalisation.rawValue
        missing = r.missing
        components = r.components.map { c in
            Component(key: c.key, weight: c.weight, share: total > 0 ? c.weight / total * 100 : 0, value: c.value, points: c.points,
                      reviewers: zip(c.reviewerScores, c.normalisedScores).map { Reviewer(reviewer: $0.reviewer, score: $0.score, normalised: $1.score) })
        }
    }

    var json: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    static func decode(_ text: String?) -> DecisionRecord? {
        text.flatMap { try? JSONDecoder().decode(DecisionRecord.self, from: Data($0.utf8)) }
    }
}

/// Gathers each applicant's scores per criterion: reviewers' submitted scores where there are
/// any, otherwise an entered or imported score (0–100, rescaled to the criterion's scale).
struct ScoreBoard {
    let database: any Database

    func candidates(_ applicants: [Applicant], rules: SelectionRules, roundID: UUID) async throws -> [Candidate] {
        let ids = applicants.compactMap(\.id)
        var reviewed: [UUID: [String: [Candidate.ReviewerScore]]] = [:]
        if !ids.isEmpty {
            let assignments = try await ReviewAssignment.query(on: database)
                .filter(\.$round.$id == roundID)
                .filter(\.$status == .submitted)
                .with(\.$reviewer)
                .all()
            let byID = Dictionary(uniqueKeysWithValues: assignments.map { ($0.id!, $0) })
            let scores = byID.isEmpty ? [] : try await ReviewScore.query(on: database).filter(\.$assignment.$id ~~ Array(byID.keys)).all()
            for score in scores {
                guard let assignment = byID[score.$assignment.id] else { continue }
                reviewed[assignment.$applicant.id, default: [:]][score.criterionKey, default: []]
                    .append(Candidate.ReviewerScore(reviewer: assignment.reviewer.email, score: score.score))
            }
        }
        return applicants.map { applicant in
            var scores = reviewed[applicant.id!] ?? [:]
            for criterion in rules.criteria where (scores[criterion.key] ?? []).isEmpty {
                let entered: Double? = switch criterion.source {
                case .documents: applicant.documentScore
                case .test: applicant.testScore
                case .interview: applicant.interviewScore
                case .committee: nil
                }
                if let entered { scores[criterion.key] = [Candidate.ReviewerScore(reviewer: "", score: entered / 100 * criterion.scale)] }
            }
            return Candidate(id: applicant.id!, number: applicant.number ?? Int.max, submittedAt: applicant.submittedAt ?? .distantFuture, scores: scores)
        }
    }
}
