import CadetCore
import CadetSandbox
import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Synchronization
import Vapor

/// A taker's side of the day: start (or resume, or move to another browser), save, report what
/// the browser saw, run the samples, submit. The server's clock decides everything.
struct ExamTaking {
    let database: any Database
    var now = Date()
    /// Where the morning's writes go: batched into shared transactions on SQLite (see GroupCommit).
    var writes = GroupCommit(batching: false)
    /// How times in refusals are written for the reader.
    var formatTime: @Sendable (Date) -> String = { $0.ISO8601Format() }

    /// Longest answer kept: a page of code is a few thousand characters.
    static let maximumAnswerLength = 20_000
    static let maximumEventsPerRequest = 50

    struct Who: Sendable {
        let owner: ApplicationOwner
        let session: UUID
        let address: String
        let userAgent: String?
    }

    /// The attempt if it is this person's; anyone else's is "not found", never "forbidden".
    /// Every taker request starts here, so it is one joined query, made into models by hand.
    static func own(_ id: UUID?, by owner: ApplicationOwner, on db: any Database) async throws -> (ExamAttempt, Exam) {
        guard let id, let row = try await OwnAttempt(attemptID: id).first(on: db) else { throw ExamError.noExam }
        let applicantUser = try row.decode(column: "applicant_user", as: UUID?.self)
        let attemptUser = try row.decode(column: "user_id", as: UUID?.self)
        let applicantEmail = try row.decode(column: "email", as: String.self)
        let mine = attemptUser == owner.userID || owner.owns(linkedUser: applicantUser, email: applicantEmail)
        guard mine else { throw ExamError.noExam }

        let applicant = Applicant()
        applicant.id = try row.decode(column: "applicant_id", as: UUID.self)
        applicant.$user.id = applicantUser
        applicant.email = applicantEmail
        applicant.$cohort.id = try row.decode(column: "cohort_id", as: UUID.self)
        // The cohort's name, for the landing page's title: its only field read here.
        let cohort = Cohort()
        cohort.id = applicant.$cohort.id
        cohort.name = try row.decode(column: "cohort_name", as: String.self)
        applicant.$cohort.value = cohort
        applicant.$round.id = try row.decode(column: "round_id", as: UUID.self)
        let exam = Exam()
        exam.id = try row.decode(column: "exam_id", as: UUID.self)
        exam.$round.id = applicant.$round.id
        exam.windowStart = try row.decode(column: "window_start", as: Date.self)
        exam.windowEnd = try row.decode(column: "window_end", as: Date.self)
        exam.durationMinutes = try row.decode(column: "duration_minutes", as: Int.self)
        exam.lateStartMinutes = try row.decode(column: "late_start_minutes", as: Int.self)
        exam.graceSeconds = try row.decode(column: "grace_seconds", as: Int.self)
        exam.version = try row.decode(column: "version", as: Int.self)
        // The content is read from the cache, or by ExamDefinitionCache.definition(of:on:) when it is not there.
        exam.definitionJSON = ""
        let attempt = ExamAttempt()
        attempt.id = id
        attempt.$exam.id = exam.id!
        attempt.$exam.value = exam
        attempt.$applicant.id = applicant.id!
        attempt.$applicant.value = applicant
        attempt.userID = attemptUser
        attempt.paperJSON = try row.decode(column: "paper_json", as: String.self)
        attempt.paperVersion = try row.decode(column: "paper_version", as: Int.self)
        attempt.status = try row.decode(column: "status", as: ExamAttempt.Status.self)
        attempt.extraMinutes = try row.decode(column: "extra_minutes", as: Int.self)
        attempt.startedAt = try row.decode(column: "started_at", as: Date?.self)
        attempt.deadlineAt = try row.decode(column: "deadline_at", as: Date?.self)
        attempt.savesUntil = try row.decode(column: "saves_until", as: Date?.self)
        attempt.submittedAt = try row.decode(column: "submitted_at", as: Date?.self)
        attempt.activeSession = try row.decode(column: "active_session", as: UUID?.self)
        attempt.lastSeenAt = try row.decode(column: "last_seen_at", as: Date?.self)
        return (attempt, exam)
    }

    /// The attempt with its applicant, their cohort's name and its test, read at the landing page
    /// and every start, paper and submission.
    struct OwnAttempt: PlannedOnce {
        static let sql = """
            SELECT a.exam_id, a.applicant_id, a.user_id, a.paper_json, a.paper_version, a.status, a.extra_minutes, a.started_at,
                   a.deadline_at, a.saves_until, a.submitted_at, a.active_session, a.last_seen_at,
                   p.user_id AS applicant_user, p.email, p.cohort_id, p.round_id, c.name AS cohort_name,
                   e.window_start, e.window_end, e.duration_minutes, e.late_start_minutes, e.grace_seconds, e.version
              FROM exam_attempts a JOIN applications p ON p.id = a.applicant_id JOIN exams e ON e.id = a.exam_id
              JOIN cohorts c ON c.id = p.cohort_id
             WHERE a.id = $1
            """
        let attemptID: UUID
        var parameters: [any PostgresEncodable & Encodable & Sendable] { [attemptID] }
    }

    enum StartOutcome: String {
        case started, resumed, tookOver = "takeover"
    }

    /// What a start did, and the deadline of the attempt it leaves open.
    struct Started {
        let outcome: StartOutcome
        let deadline: Date
    }

    /// Starts the attempt, or picks it up again. Opening it in another session moves it there:
    /// the old page's saves are refused from then on, and both sessions are in the log.
    func start(_ attempt: ExamAttempt, exam: Exam, who: Who) async throws -> Started {
        let timing = exam.timing
        switch Optional(attempt.status) {
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
            // One guarded update and its log entry, committed together with the other starts
            // and saves of the same millisecond (on PostgreSQL, one prepared statement).
            let (id, now, logger) = (attempt.id!, now, database.logger)
            let savesUntil = deadline.addingTimeInterval(TimeInterval(timing.graceSeconds))
            let started = try await writes.runStatement(on: database) { sql in
                if let postgres = sql as? any PostgresDatabase {
                    let start = StartOnPostgres(attempt: id, now: now, deadline: deadline, savesUntil: savesUntil, who: who)
                    return try await !postgres.rows(of: start, logger: logger).isEmpty
                }
                return try await Self.change(id, set: """
                    status = \(bind: ExamAttempt.Status.started.rawValue), started_at = \(bind: now), deadline_at = \(bind: deadline),
                    saves_until = \(bind: savesUntil), active_session = \(bind: who.session), user_id = \(bind: who.owner.userID),
                    last_seen_at = \(bind: now)
                    """, where: "status = \(bind: ExamAttempt.Status.prepared.rawValue)",
                    log: .started, detail: nil, address: who.address, userAgent: who.userAgent, at: now, on: sql)
            }
            if started { return Started(outcome: .started, deadline: deadline) }
            // Two clicks at once: the other one started it; this one resumes.
            guard let fresh = try await ExamAttempt.find(attempt.id, on: database) else { throw ExamError.noExam }
            return try await resume(fresh, who: who)
        case .started:
            return try await resume(attempt, who: who)
        }
    }

    private func resume(_ attempt: ExamAttempt, who: Who) async throws -> Started {
        if let until = attempt.savesUntil, until < now {
            try await submit(attempt.id!, reason: "deadline", who: nil)
            throw ExamError.closed
        }
        guard attempt.status == .started, let deadline = attempt.deadlineAt else { throw ExamError.alreadySubmitted }
        if attempt.activeSession == who.session { return Started(outcome: .resumed, deadline: deadline) }
        let previous = attempt.activeSession
        let (id, now) = (attempt.id!, now)
        try await writes.run(on: database) { sql in
            try await sql.update(ExamAttempt.schema)
                .set("active_session", to: who.session).set("user_id", to: who.owner.userID).set("last_seen_at", to: now)
                .where("id", .equal, id).run()
            try await Self.log([(.tookOver, previous.map { "ended session \($0.uuidString.prefix(8))" })], attempt: id, who: who, at: now, on: sql)
        }
        return Started(outcome: .tookOver, deadline: deadline)
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
        guard let facts = try await AttemptFacts.of(attemptID, userID: who.owner.userID, on: sql) else {
            throw try await whySaveRefused(attemptID: attemptID, who: who)
        }
        guard let request else { throw PlatformError.badRequest("the body must be JSON: {\"seq\": 1, \"answers\": {\"question\": \"answer\"}}") }
        try Self.check(request)
        let deadline: Date
        if request.answers.isEmpty {
            // A heartbeat: the page is open and the connection works.
            let now = now
            guard let row = try await writes.runStatement(on: database, { sql in
                try await sql.update(ExamAttempt.schema).set("last_seen_at", to: now)
                    .where("id", .equal, attemptID).where("user_id", .equal, who.owner.userID).where("active_session", .equal, who.session)
                    .where("status", .equal, ExamAttempt.Status.started.rawValue).where("saves_until", .greaterThanOrEqual, now)
                    .returning("deadline_at").first()
            }) else {
                AttemptFacts.forget(attemptID)
                throw try await whySaveRefused(attemptID: attemptID, who: who)
            }
            deadline = try row.decode(column: "deadline_at", as: Date.self)
        } else {
            if let stranger = request.answers.keys.first(where: { !facts.questions.contains($0) }) {
                throw ExamError.answerRefused("\(stranger.prefix(40)) is not a question on this paper")
            }
            // One statement, which checks the attempt itself (open, this session's, in time):
            // a submission or a move to another browser that got in first makes it save
            // nothing, and the page is told why. Each answer keeps the value with the highest
            // sequence number; every row comes back, changed or not, with the attempt's deadline
            // as it is now. On PostgreSQL the same statement is prepared (SaveOnPostgres).
            let (answers, now, logger) = (request.answers.sorted { $0.key < $1.key }, now, database.logger)
            let saved = try await writes.runStatement(on: database) { sql in
                if let postgres = sql as? any PostgresDatabase {
                    return try await postgres.rows(of: SaveOnPostgres(ids: answers.map { _ in UUID() }, keys: answers.map(\.key), values: answers.map(\.value),
                                                                     attempt: attemptID, seq: request.seq, user: who.owner.userID, session: who.session, now: now),
                                                   logger: logger)
                }
                return try await sql.raw("""
                    INSERT INTO exam_answers (id, attempt_id, question_key, value, seq, saved_at)
                    SELECT column1, column2, column3, column4, column5, column6 FROM (VALUES \(Self.values(attemptID, request.seq, answers, at: now))) AS v
                     WHERE EXISTS (SELECT 1 FROM exam_attempts a WHERE a.id = \(bind: attemptID) AND a.user_id = \(bind: who.owner.userID)
                                      AND a.active_session = \(bind: who.session) AND a.status = 'started' AND a.saves_until >= \(bind: now))
                    \(unsafeRaw: SaveOnPostgres.keepingTheHighestSeq)
                    RETURNING question_key, (SELECT deadline_at FROM exam_attempts WHERE id = \(bind: attemptID)) AS deadline_at
                    """).all()
            }
            guard saved.count == request.answers.count, let row = saved.first else {
                AttemptFacts.forget(attemptID)
                throw try await whySaveRefused(attemptID: attemptID, who: who)
            }
            deadline = try row.decode(column: "deadline_at", as: Date.self)
        }
        return Saved(seq: request.seq, savedAt: now.milliseconds, deadline: deadline.milliseconds, now: now.milliseconds)
    }

    private var sql: any SQLDatabase { database as! any SQLDatabase }

    private static func check(_ request: SaveRequest) throws {
        guard request.seq > 0, request.seq < Int(Int32.max) else { throw ExamError.answerRefused("seq must be a positive whole number") }
        guard request.answers.count <= 200 else { throw ExamError.answerRefused("too many answers in one save") }
        if let long = request.answers.first(where: { $0.value.count > maximumAnswerLength }) {
            throw ExamError.answerRefused("the answer to \(long.key.prefix(40)) is longer than \(maximumAnswerLength) characters")
        }
    }

    private static func values(_ attemptID: UUID, _ seq: Int, _ answers: [(key: String, value: String)], at now: Date) -> SQLQueryString {
        var list: [SQLQueryString] = []
        for (key, value) in answers {
            list.append("(\(bind: UUID()), \(bind: attemptID), \(bind: key), \(bind: value), \(bind: seq), \(bind: now))")
        }
        return list.dropFirst().reduce(list[0]) { $0 + ", " + $1 }
    }

    /// Names the reason, so the page can say it: another browser has the test, or time is up.
    private func whySaveRefused(attemptID: UUID, who: Who) async throws -> ExamError {
        guard let attempt = try await ExamAttempt.find(attemptID, on: database), attempt.userID == who.owner.userID else { return .noExam }
        if attempt.status == .submitted { return .alreadySubmitted }
        if attempt.status == .prepared { return .notPrepared }
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
        guard let attempt = try await ExamAttempt.find(attemptID, on: database), attempt.userID == who.owner.userID,
              attempt.status == .started else { throw ExamError.noExam }
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
        let (entries, now) = (zip(kinds, events).map { ($0, $1.detail.map { String($0.prefix(200)) }) }, now)
        try await writes.runStatement(on: database) { sql in try await Self.log(entries, attempt: attemptID, who: who, at: now, on: sql) }
    }

    /// Ends the attempt with the answers saved so far. The taker's own submission needs the
    /// session that holds the test; the deadline's needs nobody. Marking follows at once; if
    /// the server dies before it is done, the sweeper finishes it (ExamGrading.grade is safe to
    /// run again).
    @discardableResult
    func submit(_ attemptID: UUID, reason: String, who: Who?) async throws -> Bool {
        guard try await close(attemptID, reason: reason, who: who) else { return false }
        try await ExamGrading(database: database, writes: writes).grade(attemptID)
        return true
    }

    /// Ends the attempt and logs it, in one guarded write, without marking it: false when it
    /// was not open (already submitted, moved to another browser, past its grace).
    func close(_ attemptID: UUID, reason: String, who: Who?) async throws -> Bool {
        let now = now
        var open: SQLQueryString = "status = \(bind: ExamAttempt.Status.started.rawValue)"
        if let who {
            open = open + " AND user_id = \(bind: who.owner.userID) AND active_session = \(bind: who.session) AND saves_until >= \(bind: now)"
        }
        let logger = database.logger
        return try await writes.runStatement(on: database) { [open] sql in
            if let postgres = sql as? any PostgresDatabase {
                let close = CloseOnPostgres(attempt: attemptID, now: now, reason: reason, who: who)
                return try await !postgres.rows(of: close, logger: logger).isEmpty
            }
            return try await Self.change(attemptID, set: "status = \(bind: ExamAttempt.Status.submitted.rawValue), submitted_at = \(bind: now)",
                                  where: open, log: .submitted, detail: reason, address: who?.address, userAgent: who?.userAgent, at: now, on: sql)
        }
    }

    /// Changes the attempt where `condition` holds and logs what happened, in the group commit's
    /// shared transaction on SQLite: false when nothing matched. (On PostgreSQL the two are one
    /// prepared statement: StartOnPostgres, CloseOnPostgres.)
    private static func change(_ attemptID: UUID, set: SQLQueryString, where condition: SQLQueryString, log kind: EventKind, detail: String?,
                               address: String?, userAgent: String?, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        guard try await sql.raw("UPDATE exam_attempts SET " + set + " WHERE id = \(bind: attemptID) AND " + condition + " RETURNING id").first() != nil
        else { return false }
        try await sql.raw("""
            INSERT INTO exam_events (id, attempt_id, kind, detail, address, user_agent, at)
            VALUES (\(bind: UUID()), \(bind: attemptID), \(bind: kind.rawValue), \(bind: detail), \(bind: address), \(bind: userAgent.map(loggedAgent)), \(bind: now))
            """).run()
        return true
    }

    /// The browser's description as the log keeps it: enough to tell two browsers apart.
    static func loggedAgent(_ userAgent: String) -> String { String(userAgent.prefix(200)) }

    /// Appends to the attempt's log in one statement.
    private static func log(_ entries: [(EventKind, String?)], attempt: UUID, who: Who, at now: Date, on sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        var insert = sql.insert(into: ExamEvent.schema).columns("id", "attempt_id", "kind", "detail", "address", "user_agent", "at")
        for (kind, detail) in entries {
            insert = insert.values(SQLBind(UUID()), SQLBind(attempt), SQLBind(kind.rawValue), SQLBind(detail), SQLBind(who.address),
                                   SQLBind(who.userAgent.map(loggedAgent)), SQLBind(now))
        }
        try await insert.run()
    }

    // MARK: Sample runs

    /// Queues the taker's code against the samples, within the rate the policy allows.
    func runSamples(_ attempt: ExamAttempt, exam: Exam, who: Who, questionKey: String, source: String,
                    policy: SampleRunPolicy = SampleRunPolicy()) async throws -> UUID {
        guard attempt.status == .started, let until = attempt.savesUntil, until >= now else { throw ExamError.closed }
        guard attempt.activeSession == who.session else { throw ExamError.replacedElsewhere }
        guard attempt.paper.items.contains(where: { $0.question == questionKey }),
              let problem = try await ExamDefinitionCache.definition(of: exam, on: database).questions[questionKey]?.sampleProblem else { throw ExamError.runRefused }
        guard source.count <= Self.maximumAnswerLength else {
            throw ExamError.answerRefused("the program is longer than \(Self.maximumAnswerLength) characters")
        }
        let reference = attempt.id!.uuidString
        let recent = try await GradingJob.query(on: database).filter(\.$purpose == ExamGrading.samplePurpose)
            .filter(\.$reference == reference).filter(\.$enqueuedAt >= now.addingTimeInterval(-policy.window)).all()
        let pending = recent.contains { $0.status == .queued || $0.status == .leased }
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
