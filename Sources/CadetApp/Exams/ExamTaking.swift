import CadetCore
import CadetSandbox
import Fluent
import Foundation
import SQLKit
import Vapor

/// A taker's side of the day: start (or resume, or move to another browser), save, report what
/// the browser saw, run the samples, submit. The server's clock decides everything.
struct ExamTaking {
    let database: any Database
    var now = Date()
    /// How times in refusals are written for the reader.
    var formatTime: @Sendable (Date) -> String = { $0.ISO8601Format() }

    /// Longest answer kept: a page of code is a few thousand characters.
    static let maximumAnswerLength = 20_000
    static let maximumEventsPerRequest = 50

    struct Who: Sendable {
        let userID: UUID
        let email: String
        let session: UUID
        let address: String
        let userAgent: String?
    }

    /// The attempt if it is this person's; anyone else's is "not found", never "forbidden".
    static func own(_ id: UUID?, userID: UUID, email: String, on db: any Database) async throws -> (ExamAttempt, Exam) {
        guard let id, let attempt = try await ExamAttempt.query(on: db).filter(\.$id == id).with(\.$applicant).with(\.$exam).first() else {
            throw ExamError.noExam
        }
        let applicant = attempt.applicant
        let mine = applicant.$user.id == userID || attempt.userID == userID
            || (applicant.$user.id == nil && applicant.email.caseInsensitiveCompare(email) == .orderedSame)
        guard mine else { throw ExamError.noExam }
        return (attempt, attempt.exam)
    }

    enum StartOutcome: String {
        case started, resumed, tookOver = "takeover"
    }

    /// Starts the attempt, or picks it up again. Opening it in another session moves it there:
    /// the old page's saves are refused from then on, and both sessions are in the log.
    func start(_ attempt: ExamAttempt, exam: Exam, who: Who) async throws -> StartOutcome {
        let timing = exam.timing
        switch ExamAttempt.Status(rawValue: attempt.status) {
        case .submitted:
            throw ExamError.alreadySubmitted
        case .prepared, nil:
            if let refusal = timing.startRefusal(at: now) {
                switch refusal {
                case .notYet(let at): throw ExamError.notYet(formatTime(at))
                case .tooLate(let at): throw ExamError.tooLate(formatTime(at))
                }
            }
            let deadline = timing.deadline(startedAt: now, extraMinutes: attempt.extraMinutes)
            guard deadline > now else { throw ExamError.closed }
            let started = try await database.transaction { db in
                let rows = try await (db as! any SQLDatabase).update(ExamAttempt.schema)
                    .set("status", to: ExamAttempt.Status.started.rawValue)
                    .set("started_at", to: now).set("deadline_at", to: deadline)
                    .set("saves_until", to: deadline.addingTimeInterval(TimeInterval(timing.graceSeconds)))
                    .set("active_session", to: who.session).set("user_id", to: who.userID).set("last_seen_at", to: now)
                    .where("id", .equal, attempt.id!).where("status", .equal, ExamAttempt.Status.prepared.rawValue)
                    .returning("id").all()
                if !rows.isEmpty { try await log(.started, attempt: attempt.id!, who: who, detail: nil, on: db) }
                return !rows.isEmpty
            }
            if started { return .started }
            // Two clicks at once: the other one started it; this one resumes.
            guard let fresh = try await ExamAttempt.find(attempt.id, on: database) else { throw ExamError.noExam }
            return try await resume(fresh, who: who)
        case .started:
            return try await resume(attempt, who: who)
        }
    }

    private func resume(_ attempt: ExamAttempt, who: Who) async throws -> StartOutcome {
        if let until = attempt.savesUntil, until < now {
            try await submit(attempt.id!, reason: "deadline", who: nil)
            throw ExamError.closed
        }
        guard attempt.status == ExamAttempt.Status.started.rawValue else { throw ExamError.alreadySubmitted }
        if attempt.activeSession == who.session { return .resumed }
        let previous = attempt.activeSession
        try await database.transaction { db in
            try await (db as! any SQLDatabase).update(ExamAttempt.schema)
                .set("active_session", to: who.session).set("user_id", to: who.userID).set("last_seen_at", to: now)
                .where("id", .equal, attempt.id!).run()
            try await log(.tookOver, attempt: attempt.id!, who: who, detail: previous.map { "ended session \($0.uuidString.prefix(8))" }, on: db)
        }
        return .tookOver
    }

    /// Times in milliseconds since 1970, as the page's clock counts them.
    struct Saved: Content {
        let seq: Int
        let savedAt: Int64
        let deadline: Int64
        let now: Int64
    }

    /// What the page sends: its sequence number and the answers changed since the last save.
    struct SaveRequest: Content {
        let seq: Int
        let answers: [String: String]
    }

    /// Saves answers sent with one sequence number. Each answer keeps the value of the highest
    /// number it has seen, so a duplicate, a replay or a late, older save changes nothing.
    /// A body that could not be read (nil) is refused only after the attempt is known to be the
    /// sender's: to anyone else, the attempt does not exist.
    func save(attemptID: UUID, who: Who, request: SaveRequest?) async throws -> Saved {
        let deadline: Date? = try await database.transaction { db in
            let sql = db as! any SQLDatabase
            // The write comes first: it takes SQLite's lock at once, and on PostgreSQL it locks
            // the attempt's row, so a submission cannot slip between the check and the save.
            guard let row = try await sql.update(ExamAttempt.schema)
                .set("last_seen_at", to: now)
                .where("id", .equal, attemptID).where("user_id", .equal, who.userID)
                .where("active_session", .equal, who.session).where("status", .equal, ExamAttempt.Status.started.rawValue)
                .where("saves_until", .greaterThanOrEqual, now)
                .returning("paper_json", "deadline_at").first() else { return nil }
            guard let request else { throw PlatformError.badRequest("the body must be JSON: {\"seq\": 1, \"answers\": {\"question\": \"answer\"}}") }
            try Self.check(request)
            let answers = request.answers
            if !answers.isEmpty {
                let paper = try JSONDecoder().decode(Paper.self, from: Data(try row.decode(column: "paper_json", as: String.self).utf8))
                let onPaper = Set(paper.items.map(\.question))
                if let stranger = answers.keys.first(where: { !onPaper.contains($0) }) {
                    throw ExamError.answerRefused("\(stranger.prefix(40)) is not a question on this paper")
                }
                try await sql.raw("""
                    INSERT INTO exam_answers (id, attempt_id, question_key, value, seq, saved_at) VALUES \(values(attemptID, request.seq, answers))
                    ON CONFLICT (attempt_id, question_key) DO UPDATE
                       SET value = excluded.value, seq = excluded.seq, saved_at = excluded.saved_at
                     WHERE exam_answers.seq < excluded.seq
                    """).run()
            }
            return try row.decode(column: "deadline_at", as: Date.self)
        }
        guard let deadline else { throw try await whySaveRefused(attemptID: attemptID, who: who) }
        return Saved(seq: request?.seq ?? 0, savedAt: now.milliseconds, deadline: deadline.milliseconds, now: now.milliseconds)
    }

    private static func check(_ request: SaveRequest) throws {
        guard request.seq > 0, request.seq < Int(Int32.max) else { throw ExamError.answerRefused("seq must be a positive whole number") }
        guard request.answers.count <= 200 else { throw ExamError.answerRefused("too many answers in one save") }
        if let long = request.answers.first(where: { $0.value.count > maximumAnswerLength }) {
            throw ExamError.answerRefused("the answer to \(long.key.prefix(40)) is longer than \(maximumAnswerLength) characters")
        }
    }

    private func values(_ attemptID: UUID, _ seq: Int, _ answers: [String: String]) -> SQLQueryString {
        var list: [SQLQueryString] = []
        for (key, value) in answers.sorted(by: { $0.key < $1.key }) {
            list.append("(\(bind: UUID()), \(bind: attemptID), \(bind: key), \(bind: value), \(bind: seq), \(bind: now))")
        }
        return list.dropFirst().reduce(list[0]) { $0 + ", " + $1 }
    }

    /// Names the reason, so the page can say it: another browser has the test, or time is up.
    private func whySaveRefused(attemptID: UUID, who: Who) async throws -> ExamError {
        guard let attempt = try await ExamAttempt.find(attemptID, on: database), attempt.userID == who.userID else { return .noExam }
        if attempt.status == ExamAttempt.Status.submitted.rawValue { return .alreadySubmitted }
        if attempt.status == ExamAttempt.Status.prepared.rawValue { return .notPrepared }
        if attempt.activeSession != who.session { return .replacedElsewhere }
        return .closed
    }

    enum EventKind: String, CaseIterable {
        case started, resume, tookOver = "takeover", submitted
        // Reported by the page.
        case focusLost = "focus_lost", paste, offline, online
    }

    /// What the page noticed (focus lost, pastes, connection drops), for staff to weigh.
    func report(events: [(kind: String, detail: String?)]?, attemptID: UUID, who: Who) async throws {
        guard let attempt = try await ExamAttempt.find(attemptID, on: database), attempt.userID == who.userID,
              attempt.status == ExamAttempt.Status.started.rawValue else { throw ExamError.noExam }
        guard attempt.activeSession == who.session else { throw ExamError.replacedElsewhere }
        guard let events else { throw PlatformError.badRequest("the body must be JSON: {\"events\": [{\"kind\": \"paste\"}]}") }
        guard events.count <= Self.maximumEventsPerRequest else { throw ExamError.answerRefused("at most \(Self.maximumEventsPerRequest) events at once") }
        let allowed: Set<EventKind> = [.focusLost, .paste, .offline, .online]
        let kinds = try events.map { event -> EventKind in
            guard let kind = EventKind(rawValue: event.kind), allowed.contains(kind) else {
                throw ExamError.answerRefused("\(event.kind.prefix(30)) is not an event the page reports")
            }
            return kind
        }
        try await database.transaction { db in
            for (kind, event) in zip(kinds, events) {
                try await log(kind, attempt: attemptID, who: who, detail: event.detail.map { String($0.prefix(200)) }, on: db)
            }
        }
    }

    /// Ends the attempt with the answers saved so far. The taker's own submission needs the
    /// session that holds the test; the deadline's needs nobody.
    @discardableResult
    func submit(_ attemptID: UUID, reason: String, who: Who?) async throws -> Bool {
        try await database.transaction { db in
            var update = (db as! any SQLDatabase).update(ExamAttempt.schema)
                .set("status", to: ExamAttempt.Status.submitted.rawValue).set("submitted_at", to: now)
                .where("id", .equal, attemptID).where("status", .equal, ExamAttempt.Status.started.rawValue)
            if let who {
                update = update.where("user_id", .equal, who.userID).where("active_session", .equal, who.session)
                    .where("saves_until", .greaterThanOrEqual, now)
            }
            guard try await update.returning("id").first() != nil else { return false }
            guard let attempt = try await ExamAttempt.query(on: db).filter(\.$id == attemptID).with(\.$exam).first() else { return false }
            let event = ExamEvent()
            event.$attempt.id = attemptID
            event.kind = EventKind.submitted.rawValue
            event.detail = reason
            event.address = who?.address
            event.userAgent = who?.userAgent
            event.at = now
            try await event.create(on: db)
            try await ExamGrading(database: db).grade(attempt, definition: ExamDefinitionCache.definition(of: attempt.exam), on: db)
            return true
        }
    }

    private func log(_ kind: EventKind, attempt: UUID, who: Who, detail: String?, on db: any Database) async throws {
        let event = ExamEvent()
        event.$attempt.id = attempt
        event.kind = kind.rawValue
        event.detail = detail
        event.address = who.address
        event.userAgent = who.userAgent.map { String($0.prefix(200)) }
        event.at = now
        try await event.create(on: db)
    }

    // MARK: Sample runs

    /// Queues the taker's code against the samples, within the rate the policy allows.
    func runSamples(_ attempt: ExamAttempt, exam: Exam, who: Who, questionKey: String, source: String,
                    policy: SampleRunPolicy = SampleRunPolicy()) async throws -> UUID {
        guard attempt.status == ExamAttempt.Status.started.rawValue, let until = attempt.savesUntil, until >= now else { throw ExamError.closed }
        guard attempt.activeSession == who.session else { throw ExamError.replacedElsewhere }
        guard attempt.paper.items.contains(where: { $0.question == questionKey }),
              let problem = ExamDefinitionCache.definition(of: exam).questions[questionKey]?.sampleProblem else { throw ExamError.runRefused }
        guard source.count <= Self.maximumAnswerLength else {
            throw ExamError.answerRefused("the program is longer than \(Self.maximumAnswerLength) characters")
        }
        let reference = attempt.id!.uuidString
        let recent = try await GradingJob.query(on: database).filter(\.$purpose == ExamGrading.samplePurpose)
            .filter(\.$reference == reference).filter(\.$enqueuedAt >= now.addingTimeInterval(-policy.window)).all()
        let pending = recent.contains { $0.status == GradingJob.Status.queued.rawValue || $0.status == GradingJob.Status.leased.rawValue }
        switch policy.refusal(recent: recent.map(\.enqueuedAt), pending: pending, now: now) {
        case .busy: throw ExamError.runPending
        case .wait(let seconds): throw ExamError.tooManyRuns(seconds)
        case nil: break
        }
        return try await GradingQueue(database: database).enqueue(problem: problem, source: source, purpose: ExamGrading.samplePurpose,
                                                                  reference: reference, priority: .interactive)
    }

    /// A sample run of this attempt, or "not found".
    static func sampleRun(_ id: UUID?, of attempt: ExamAttempt, on db: any Database) async throws -> GradingJob {
        guard let id, let job = try await GradingJob.query(on: db).filter(\.$id == id).filter(\.$purpose == ExamGrading.samplePurpose)
            .filter(\.$reference == attempt.id!.uuidString).first() else { throw ExamError.noExam }
        return job
    }
}

extension Date {
    /// Milliseconds since 1970: what a browser's `Date.now()` counts.
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
