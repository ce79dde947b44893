import CadetCore
import Fluent
import Foundation

/// Staff moving applications along the pipeline, one or many at a time, each move audited and
/// told to the applicant.
struct PipelineService {
    let database: any Database
    let actor: Actor
    let localizer: Localizer

    struct Outcome: Equatable, Sendable {
        var moved = 0
        /// Applications whose current stage does not allow the move, by number.
        var skipped: [Int] = []
    }

    func move(_ ids: [UUID], in cohort: Cohort, to target: ApplicationStage) async throws -> Outcome {
        try await database.transaction { db in
            var outcome = Outcome()
            let applicants = try await Applicant.query(on: db).filter(\.$cohort.$id == cohort.requireID()).filter(\.$id ~~ ids).all()
            for applicant in applicants {
                guard let stage = Optional(applicant.stage), stage.staffMoves.contains(target) else {
                    outcome.skipped.append(applicant.number ?? 0)
                    continue
                }
                applicant.stage = target
                if target != .waitlisted { applicant.waitlistPosition = nil }
                try await applicant.update(on: db)
                try await AuditLog.record(AuditEntry(action: "application.moved", entityType: "application", entityID: applicant.id,
                                                     summary: "#\(applicant.number ?? 0) \(stage.rawValue) → \(target.rawValue)",
                                                     programmeID: cohort.$programme.id, cohortID: cohort.id,
                                                     before: StageSnapshot(stage: stage.rawValue), after: StageSnapshot(stage: target.rawValue)),
                                          by: actor, on: db)
                try await Notices.stageChanged(applicant, to: target, cohort: cohort, localizer: localizer, on: db)
                outcome.moved += 1
            }
            outcome.skipped.sort()
            return outcome
        }
    }

    /// Staff enter or correct a score that comes from outside (the admission test until the
    /// online test exists, or an imported interview score), on a 0–100 scale.
    func setScore(_ applicant: Applicant, cohort: Cohort, _ values: [String: String]) async throws {
        var reader = FieldReader(values)
        func score(_ field: String) -> Double? {
            guard let raw = reader.raw(field) else { return nil }
            guard let value = Double(raw), value.isFinite, (0...100).contains(value) else {
                reader.add(FieldIssue(field, .outOfRange(minimum: 0, maximum: 100)))
                return nil
            }
            return value
        }
        let document = score("document_score"), test = score("test_score"), interview = score("interview_score")
        try reader.check()
        let before = ScoreSnapshot(applicant)
        applicant.documentScore = document
        applicant.testScore = test
        applicant.interviewScore = interview
        try await database.transaction { db in
            try await applicant.update(on: db)
            try await AuditLog.record(AuditEntry(action: "application.scores_set", entityType: "application", entityID: applicant.id,
                                                 summary: "#\(applicant.number ?? 0)", programmeID: cohort.$programme.id, cohortID: cohort.id,
                                                 before: before, after: ScoreSnapshot(applicant)), by: actor, on: db)
        }
    }
}

struct ScoreSnapshot: Codable, Sendable {
    let documentScore: Double?
    let testScore: Double?
    let interviewScore: Double?

    init(_ a: Applicant) {
        documentScore = a.documentScore
        testScore = a.testScore
        interviewScore = a.interviewScore
    }
}
