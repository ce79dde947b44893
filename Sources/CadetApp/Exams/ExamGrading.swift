import CadetCore
import CadetSandbox
import Fluent
import FluentPostgresDriver
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
    /// Where the marking's writes go: on SQLite, the group commit shared with the morning's
    /// saves (see GroupCommit), so that thousands of submissions in the last minutes do not
    /// each wait for commits of their own.
    var writes = GroupCommit(batching: false)

    /// Scores what needs no sandbox and queues what does. Safe to run again and at the same time
    /// (the marking lane and the sweeper may both reach an attempt): `record` writes only if
    /// the attempt has no objective score yet, and an answer already queued keeps its job.
    func grade(_ attemptID: UUID) async throws {
        guard let marking = try await marks(attemptID) else { return }
        try await record(marking)
    }

    /// What marking an attempt writes, worked out from its paper and answers.
    struct Marking: Sendable {
        let attemptID: UUID
        let applicantID: UUID
        let objective: Double
        let maxScore: Double
        let marks: [(answer: UUID, score: Double, verdict: String)]
        let code: [(answer: UUID, problem: Problem, source: String)]
        /// Code answers queued by an earlier, interrupted marking: their results complete it later.
        let queuedBefore: Bool
    }

    /// A submitted attempt's paper and its test's version: read once for every submission.
    struct SubmittedAttempt: PlannedOnce {
        static let sql = """
            SELECT a.paper_json, a.exam_id, a.applicant_id, e.version FROM exam_attempts a JOIN exams e ON e.id = a.exam_id
             WHERE a.status = 'submitted' AND a.id = $1
            """
        let attemptID: UUID
        var parameters: [any PostgresEncodable & Encodable & Sendable] { [attemptID] }
    }

    /// Reads and scores; writes nothing. Nil when the attempt is not submitted.
    func marks(_ attemptID: UUID) async throws -> Marking? {
        let sql = database as! any SQLDatabase
        guard let row = try await SubmittedAttempt(attemptID: attemptID).first(on: database) else { return nil }
        let definition = try await ExamDefinitionCache.definition(examID: try row.decode(column: "exam_id", as: UUID.self),
                                                                  version: try row.decode(column: "version", as: Int.self), on: database)
        let paper = (try? JSONDecoder().decode(Paper.self, from: Data(try row.decode(column: "paper_json", as: String.self).utf8))) ?? Paper(items: [])
        let questions = definition.questions
        var objective = 0.0, queuedBefore = false
        var marks: [(answer: UUID, score: Double, verdict: String)] = []
        var code: [(answer: UUID, problem: Problem, source: String)] = []
        for answer in try await sql.select().columns("id", "question_key", "value", "grading_job_id").from(ExamAnswer.schema)
            .where("attempt_id", .equal, attemptID).all() {
            let id = try answer.decode(column: "id", as: UUID.self)
            let value = try answer.decode(column: "value", as: String.self)
            guard let question = questions[try answer.decode(column: "question_key", as: String.self)] else { continue }
            if let score = question.objectiveScore(value) {
                marks.append((id, score, score > 0 ? "correct" : "incorrect"))
                objective += score
            } else if try answer.decode(column: "grading_job_id", as: UUID?.self) != nil {
                queuedBefore = true
            } else if let problem = question.gradingProblem, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                code.append((id, problem, value))
            } else {
                marks.append((id, 0, "blank"))
            }
        }
        return Marking(attemptID: attemptID, applicantID: try row.decode(column: "applicant_id", as: UUID.self), objective: objective,
                       maxScore: Self.maxScore(of: paper, definition: definition), marks: marks, code: code, queuedBefore: queuedBefore)
    }

    /// Writes a marking in one transaction: the attempt's scores, the objective marks, the code
    /// answers' jobs, and, when no code waits for the sandbox, the final total and the
    /// applicant's test score. The attempt's update goes first and only where no marking has
    /// been written: a second marking of the same attempt (the lane's and the sweeper's at
    /// once, say) writes nothing, and queues no second job for the sandbox. Returns whether
    /// this one was written.
    @discardableResult
    func record(_ marking: Marking) async throws -> Bool {
        let (id, now) = (marking.attemptID, Date())
        let complete = marking.code.isEmpty && !marking.queuedBefore
        let written = try await writes.run(on: database) { sql -> Bool in
            var update = sql.update(ExamAttempt.schema).set("objective_score", to: marking.objective).set("max_score", to: marking.maxScore)
            if complete {
                update = update.set("code_score", to: 0.0).set("total_score", to: marking.objective).set("graded_at", to: now)
            }
            guard try await update.where("id", .equal, id).where("objective_score", .is, SQLLiteral.null).returning("id").first() != nil else {
                return false
            }
            let jobs = try await GradingQueue.enqueue(marking.code.map { ($0.problem, $0.source) }, purpose: Self.gradingPurpose,
                                                      reference: id.uuidString, priority: .background, on: sql)
            if !marking.marks.isEmpty {
                try await sql.raw("""
                    UPDATE exam_answers SET score = CASE id \(cases(marking.marks.map { ($0.answer, SQLBind($0.score)) })) END,
                           verdict = CASE id \(cases(marking.marks.map { ($0.answer, SQLBind($0.verdict)) })) END
                     WHERE attempt_id = \(bind: id)
                       AND id IN (\(SQLList(marking.marks.map { SQLBind($0.answer) })))
                    """).run()
            }
            if !jobs.isEmpty {
                try await sql.raw("""
                    UPDATE exam_answers SET grading_job_id = CASE id \(cases(zip(marking.code, jobs).map { ($0.answer, SQLBind($1)) })) END,
                           score = NULL, verdict = NULL
                     WHERE attempt_id = \(bind: id) AND id IN (\(SQLList(marking.code.map { SQLBind($0.answer) })))
                    """).run()
            }
            if complete {
                try await sql.update(Applicant.schema).set("test_score", to: Self.percent(marking.objective, of: marking.maxScore))
                    .where("id", .equal, marking.applicantID).run()
            }
            return true
        }
        // Code queued by an earlier marking may be graded already.
        if written && marking.code.isEmpty && marking.queuedBefore { try await finalise(id, on: database) }
        return written
    }

    /// A test score as the rubric takes it: a percentage with two decimals.
    static func percent(_ total: Double, of maxScore: Double) -> Double {
        maxScore > 0 ? (total / maxScore * 10_000).rounded() / 100 : 0
    }

    /// `WHEN id THEN value …` for a CASE over answer ids.
    private func cases(_ pairs: [(UUID, SQLBind)]) -> SQLQueryString {
        pairs.map { "WHEN \(bind: $0.0) THEN \($0.1)" as SQLQueryString }.dropFirst()
            .reduce(pairs.first.map { "WHEN \(bind: $0.0) THEN \($0.1)" as SQLQueryString } ?? "") { $0 + " " + $1 }
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
            .filter(\.$status == .submitted).first() else { return }
        let answers = try await ExamAnswer.query(on: db).filter(\.$attempt.$id == attemptID).all()
        let jobIDs = answers.compactMap(\.gradingJobID)
        let jobs = Dictionary(uniqueKeysWithValues: try await GradingJob.query(on: db).filter(\.$id ~~ jobIDs).all().map { ($0.id!, $0) })
        var code = 0.0
        for answer in answers {
            guard let jobID = answer.gradingJobID else { continue }
            guard let job = jobs[jobID] else { continue }
            switch job.status {
            case .queued, .leased:
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
        try await (db as! any SQLDatabase).update(Applicant.schema).set("test_score", to: Self.percent(total, of: attempt.maxScore ?? 0))
            .where("id", .equal, attempt.$applicant.id).run()
    }

    /// After staff fix a question (or its tests), marks every submitted answer to it again:
    /// objective ones at once, code ones through the queue. Returns how many answers.
    func regrade(exam: Exam, questionKey: String, actor: Actor, cohortID: UUID) async throws -> Int {
        let definition = ExamDefinitionCache.definition(of: exam)
        guard let question = definition.questions[questionKey] else { throw ExamError.noQuestion }
        return try await database.transaction { db in
            let attempts = try await ExamAttempt.query(on: db).filter(\.$exam.$id == exam.id!)
                .filter(\.$status == .submitted).all()
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
