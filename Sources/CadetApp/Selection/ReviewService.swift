import CadetCore
import Fluent
import Foundation

/// Reviewers score applications independently: each sees only their own assignments, scores
/// without seeing the others' until they submit, and steps aside when they have a conflict.
struct ReviewService {
    let database: any Database
    let actor: Actor

    /// Assigns `reviewer` to score the given applications on one source; they become a committee
    /// member of the cohort if they were not. Already assigned pairs are left alone.
    func assign(_ applicantIDs: [UUID], reviewerEmail: String, source: SelectionRules.Criterion.Source, round: RecruitmentRound, cohort: Cohort) async throws -> Int {
        guard source != .test else { throw ValidationFailure([FieldIssue("source", .unknownChoice)]) }
        guard let reviewer = try await User.query(on: database).filter(\.$email == EmailAddress.normalise(reviewerEmail)).first() else {
            throw ValidationFailure([FieldIssue("reviewer_email", .noAccount)])
        }
        return try await database.transaction { db in
            let scope = Scope.cohort(CohortID(try cohort.requireID()), in: ProgrammeID(cohort.$programme.id))
            try await RoleService(database: db, actor: actor).ensure(.committeeMember, for: reviewer.requireID(), at: scope)
            var created = 0
            let applicants = try await Applicant.query(on: db).filter(\.$round.$id == round.requireID()).filter(\.$id ~~ applicantIDs).all()
            for applicant in applicants {
                let exists = try await ReviewAssignment.query(on: db).filter(\.$applicant.$id == applicant.id!)
                    .filter(\.$reviewer.$id == reviewer.id!).filter(\.$source == source.rawValue).first()
                guard exists == nil else { continue }
                let assignment = ReviewAssignment()
                assignment.$round.id = try round.requireID()
                assignment.$applicant.id = applicant.id!
                assignment.$reviewer.id = reviewer.id!
                assignment.source = source.rawValue
                assignment.status = .assigned
                try await assignment.create(on: db)
                created += 1
            }
            try await AuditLog.record(AuditEntry(action: "review.assigned", entityType: "round", entityID: round.id,
                                                 summary: "\(reviewer.email): \(created) \(source.rawValue)", programmeID: cohort.$programme.id,
                                                 cohortID: cohort.id), by: actor, on: db)
            return created
        }
    }

    /// Records the reviewer's scores for every criterion of the assignment's source.
    func submit(_ assignment: ReviewAssignment, criteria: [SelectionRules.Criterion], values: [String: String]) async throws {
        guard assignment.status != .recused else { throw RecruitmentError.notAllowedNow }
        var reader = FieldReader(values)
        var scores: [(String, Double)] = []
        for criterion in criteria where criterion.source.rawValue == assignment.source {
            let field = "score_\(criterion.key)"
            guard let raw = reader.raw(field) else {
                reader.add(FieldIssue(field, .required))
                continue
            }
            guard let value = Double(raw), value.isFinite, value >= 0, value <= criterion.scale else {
                reader.add(FieldIssue(field, .outOfRange(minimum: 0, maximum: Int(criterion.scale))))
                continue
            }
            scores.append((criterion.key, value))
        }
        try reader.check()
        let assignmentID = try assignment.requireID()
        let scored = scores
        try await database.transaction { db in
            try await ReviewScore.query(on: db).filter(\.$assignment.$id == assignmentID).delete()
            for (key, value) in scored {
                let score = ReviewScore()
                score.$assignment.id = assignmentID
                score.criterionKey = key
                score.score = value
                try await score.create(on: db)
            }
            assignment.status = .submitted
            assignment.submittedAt = Date()
            try await assignment.update(on: db)
            try await AuditLog.record(AuditEntry(action: "review.scored", entityType: "application", entityID: assignment.$applicant.id,
                                                 summary: "\(assignment.source): " + scored.map { "\($0.0)=\($0.1)" }.joined(separator: ", "),
                                                 cohortID: nil, after: ReviewSnapshot(scores: Dictionary(uniqueKeysWithValues: scored))),
                                      by: actor, on: db)
        }
    }

    /// A reviewer declares a conflict of interest: their scores no longer count.
    func recuse(_ assignment: ReviewAssignment, reason: String?) async throws {
        var reader = FieldReader(["reason": reason ?? ""])
        let text = reader.text("reason", maxLength: 500)
        try reader.check()
        try await database.transaction { db in
            try await ReviewScore.query(on: db).filter(\.$assignment.$id == assignment.requireID()).delete()
            assignment.status = .recused
            assignment.conflictReason = text
            try await assignment.update(on: db)
            try await AuditLog.record(AuditEntry(action: "review.recused", entityType: "application", entityID: assignment.$applicant.id,
                                                 summary: "\(assignment.source): \(text ?? "")"), by: actor, on: db)
        }
    }
}

struct ReviewSnapshot: Codable, Sendable {
    let scores: [String: Double]
}
