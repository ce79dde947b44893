import CadetCore
import CadetSandbox
import Fluent
import Foundation
import SQLKit

extension ExamDefinition.Question {
    /// The points an objective answer earns; nil for code, which the sandbox grades.
    /// Choices are saved as the indices of the choices as written, comma-separated.
    func objectiveScore(_ value: String) -> Double? {
        let points = points ?? 0
        switch kind {
        case .singleChoice, .multipleChoice:
            let chosen = Set(value.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
            return ObjectiveScoring.choices(chosen, correct: Set(answer ?? []), points: points)
        case .numeric:
            return ObjectiveScoring.numeric(value, answer: self.value ?? .nan, tolerance: tolerance ?? 0, points: points)
        case .shortText:
            return ObjectiveScoring.shortText(value, accepted: accept ?? [], points: points)
        case .coding:
            return nil
        }
    }
}

/// Marks submitted attempts: objective answers at once, code answers by the grading workers
/// against the hidden tests, then the totals and the applicant's test score for the rubric.
struct ExamGrading: GradingResultRecorder {
    static let gradingPurpose = "exam"
    static let samplePurpose = "exam-sample"

    let database: any Database

    /// Scores what needs no sandbox and queues what does. Runs inside the submission's
    /// transaction, so an attempt is never submitted without its grading under way.
    func grade(_ attempt: ExamAttempt, definition: ExamDefinition, on db: any Database) async throws {
        let questions = definition.questions
        let answers = try await ExamAnswer.query(on: db).filter(\.$attempt.$id == attempt.id!).all()
        var objective = 0.0
        var jobs: [(ExamAnswer, Problem)] = []
        for answer in answers {
            guard let question = questions[answer.questionKey] else { continue }
            if let score = question.objectiveScore(answer.value) {
                answer.score = score
                answer.verdict = score > 0 ? "correct" : "incorrect"
                objective += score
                try await answer.save(on: db)
            } else if let problem = question.gradingProblem, !answer.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                jobs.append((answer, problem))
            } else {
                answer.score = 0
                answer.verdict = "blank"
                try await answer.save(on: db)
            }
        }
        let queue = GradingQueue(database: db)
        for (answer, problem) in jobs {
            answer.gradingJobID = try await queue.enqueue(problem: problem, source: answer.value, purpose: Self.gradingPurpose,
                                                          reference: attempt.id!.uuidString, priority: .background)
            answer.score = nil
            answer.verdict = nil
            try await answer.save(on: db)
        }
        attempt.objectiveScore = objective
        attempt.maxScore = Self.maxScore(of: attempt.paper, definition: definition)
        try await attempt.save(on: db)
        if jobs.isEmpty { try await finalise(attempt.id!, on: db) }
    }

    static func maxScore(of paper: Paper, definition: ExamDefinition) -> Double {
        let questions = definition.questions
        return paper.items.reduce(0) { $0 + (questions[$1.question]?.maxPoints ?? 0) }
    }

    /// Called by a grading worker after each job: an exam answer's result completes its attempt.
    func record(_ claim: GradingQueue.Claim, report: GradingReport) async throws {
        guard claim.purpose == Self.gradingPurpose, let reference = claim.reference, let id = UUID(uuidString: reference) else { return }
        try await finalise(id, on: database)
    }

    /// Once every code answer of a submitted attempt has its result, copies the scores in and
    /// sets the totals and the applicant's test score (a percentage). Safe to call any time, as
    /// often as one likes.
    func finalise(_ attemptID: UUID, on db: any Database) async throws {
        guard let attempt = try await ExamAttempt.query(on: db).filter(\.$id == attemptID)
            .filter(\.$status == ExamAttempt.Status.submitted.rawValue).first() else { return }
        let answers = try await ExamAnswer.query(on: db).filter(\.$attempt.$id == attemptID).all()
        let jobIDs = answers.compactMap(\.gradingJobID)
        let jobs = Dictionary(uniqueKeysWithValues: try await GradingJob.query(on: db).filter(\.$id ~~ jobIDs).all().map { ($0.id!, $0) })
        var code = 0.0
        for answer in answers {
            guard let jobID = answer.gradingJobID else { continue }
            guard let job = jobs[jobID] else { continue }
            switch GradingJob.Status(rawValue: job.status) {
            case .queued, .leased, nil:
                return
            case .done, .failed:
                if answer.score == nil || answer.verdict != job.verdict {
                    answer.score = job.score ?? 0
                    answer.verdict = job.verdict ?? Verdict.refused.rawValue
                    try await answer.save(on: db)
                }
                code += answer.score ?? 0
            }
        }
        let total = (attempt.objectiveScore ?? 0) + code
        attempt.codeScore = code
        attempt.totalScore = total
        attempt.gradedAt = Date()
        try await attempt.save(on: db)
        let percent = (attempt.maxScore ?? 0) > 0 ? (total / attempt.maxScore! * 10_000).rounded() / 100 : 0
        try await (db as! any SQLDatabase).update(Applicant.schema).set("test_score", to: percent)
            .where("id", .equal, attempt.$applicant.id).run()
    }

    /// After staff fix a question (or its tests), marks every submitted answer to it again:
    /// objective ones at once, code ones through the queue. Returns how many answers.
    func regrade(exam: Exam, questionKey: String, actor: Actor, cohortID: UUID) async throws -> Int {
        let definition = ExamDefinitionCache.definition(of: exam)
        guard let question = definition.questions[questionKey] else { throw ExamError.noQuestion }
        return try await database.transaction { db in
            let attempts = try await ExamAttempt.query(on: db).filter(\.$exam.$id == exam.id!)
                .filter(\.$status == ExamAttempt.Status.submitted.rawValue).all()
            let byID = Dictionary(uniqueKeysWithValues: attempts.map { ($0.id!, $0) })
            let answers = try await ExamAnswer.query(on: db).filter(\.$attempt.$id ~~ Array(byID.keys))
                .filter(\.$questionKey == questionKey).all()
            let queue = GradingQueue(database: db)
            var touched: Set<UUID> = []
            for answer in answers {
                guard let attempt = byID[answer.$attempt.id] else { continue }
                if let score = question.objectiveScore(answer.value) {
                    attempt.objectiveScore = (attempt.objectiveScore ?? 0) - (answer.score ?? 0) + score
                    answer.score = score
                    answer.verdict = score > 0 ? "correct" : "incorrect"
                    try await attempt.save(on: db)
                } else if let problem = question.gradingProblem, !answer.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    answer.gradingJobID = try await queue.enqueue(problem: problem, source: answer.value, purpose: Self.gradingPurpose,
                                                                  reference: attempt.id!.uuidString, priority: .background)
                    answer.score = nil
                    answer.verdict = nil
                }
                try await answer.save(on: db)
                touched.insert(attempt.id!)
            }
            for attempt in attempts where touched.contains(attempt.id!) {
                attempt.maxScore = Self.maxScore(of: attempt.paper, definition: definition)
                attempt.gradedAt = nil
                try await attempt.save(on: db)
                try await finalise(attempt.id!, on: db)
            }
            try await AuditLog.record(AuditEntry(action: "exam.regrade", entityType: "exam", entityID: exam.id,
                                                 summary: "Re-graded \(answers.count) answers to \(questionKey)", cohortID: cohortID,
                                                 after: ["question": questionKey, "answers": String(answers.count), "version": String(exam.version)]),
                                      by: actor, on: db)
            return answers.count
        }
    }
}
