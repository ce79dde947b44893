import CadetCore
import CadetSandbox
import Fluent
import SQLKit
import Vapor

/// The taker's pages: their tests, a test's landing page, and the paper itself. The paper's
/// script talks to the JSON routes in ExamTakerController+API.
enum ExamTakerController {
    static func register(_ routes: any RoutesBuilder) {
        let r = routes.grouped("exams")
        r.get(use: index)
        r.get(":attempt", use: landing)
        // The morning's requests (the start that follows the landing page, the paper, the saves,
        // the submission at the end) may use a session confirmed in the last minute: ten
        // thousand takers then do not each read their session again at the opening and the end,
        // in the seconds when SQLite's one connection is busiest.
        r.post(":attempt", "start", use: start).acceptingRecentSession()
        r.post(":attempt", "submit", use: submit).acceptingRecentSession()
        r.get(":attempt", "take", use: take).acceptingRecentSession()
        r.post(":attempt", "answers", use: saveAnswers).acceptingRecentSession()
        r.post(":attempt", "events", use: reportEvents).acceptingRecentSession()
        r.post(":attempt", "runs", use: runSamples)
        r.get(":attempt", "runs", ":run", use: sampleRun)
    }

    static func who(_ req: Request) throws -> ExamTaking.Who {
        let user = try req.requireUser()
        return ExamTaking.Who(owner: user.applicationOwner, session: user.sessionID, address: req.clientAddress,
                              userAgent: req.headers.first(name: .userAgent))
    }

    /// Read beside the writer where SQLite has a connection for reads (`SQLiteReads`): every
    /// start, paper and submission begins here.
    static func own(_ req: Request) async throws -> (ExamAttempt, Exam) {
        let user = try req.requireUser()
        return try await ExamTaking.own(req.parameters.get("attempt", as: UUID.self), by: user.applicationOwner, on: req.reads)
    }

    static func taking(_ req: Request) -> ExamTaking {
        var taking = ExamTaking(database: req.db)
        taking.formatTime = req.localizer.dateTime
        taking.writes = req.application.groupCommit
        return taking
    }

    struct Row: Encodable { let href: String; let cohort: String; let window: String; let status: String }
    struct IndexPage: Encodable { let page: PageChrome; let rows: [Row]? }

    @Sendable static func index(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let applicants = try await user.applicationOwner.filter(Applicant.query(on: req.db)).with(\.$cohort).all()
        let cohorts = Dictionary(applicants.map { ($0.id!, $0.cohort.name) }, uniquingKeysWith: { a, _ in a })
        let attempts = try await ExamAttempt.query(on: req.db).filter(\.$applicant.$id ~~ Array(cohorts.keys)).with(\.$exam).all()
        let rows = attempts.map { a in
            Row(href: "/exams/\(a.id!.uuidString.lowercased())", cohort: cohorts[a.$applicant.id] ?? "",
                window: "\(t.dateTime(a.exam.windowStart)) – \(t.dateTime(a.exam.windowEnd))", status: t("exam.status.\(a.status.rawValue)"))
        }
        return try await req.render("exams/index", IndexPage(page: PageChrome(req, title: t("exams.title")), rows: rows.nilIfEmpty))
    }

    struct Fact: Encodable { var label: String; var value: String }

    /// The page a taker opens before the test (`exams/show`), filled in from a skeleton kept per
    /// shape like the paper's (`PageSkeleton`): before the opening every taker of a cohort asks
    /// for it within minutes, and Leaf's rendering of it was 6% of the server's CPU while they
    /// arrived (docs/exams.md).
    struct LandingPage: Encodable {
        var page: PageChrome
        var path: String
        var facts: [Fact]
        let canStart: Bool
        let resume: Bool
        let elsewhere: Bool
        let submitted: Bool
        var note: String?

        static let template = "exams/show"
        private static let skeletons = PageSkeletons()

        func html(_ req: Request) async throws -> String {
            let escape = HTMLText.escape
            let values = [escape(path), escape(note ?? "")] + facts.flatMap { [escape($0.label), escape($0.value)] }
            let shape = [canStart, resume, elsewhere, submitted, note != nil].map { String($0) } + [String(facts.count)]
            return try await Self.skeletons.page(req, template: Self.template, context: self, chrome: \.page, shape: shape, values: values) { page, own in
                page.path = own(0)
                if page.note != nil { page.note = own(1) }
                page.facts = page.facts.indices.map { Fact(label: own(2 + 2 * $0), value: own(3 + 2 * $0)) }
            }
        }
    }

    @Sendable static func landing(_ req: Request) async throws -> Response {
        let (attempt, exam) = try await own(req)
        let t = req.localizer
        let timing = exam.timing
        var facts = [
            Fact(label: t("exam.window"), value: "\(t.dateTime(exam.windowStart)) – \(t.dateTime(exam.windowEnd))"),
            Fact(label: t("exam.duration"), value: t("exam.minutes", ["minutes": String(exam.durationMinutes)])),
            Fact(label: t("exam.last_start"), value: t.dateTime(timing.lastStart)),
            Fact(label: t("exam.status"), value: t("exam.status.\(attempt.status.rawValue)")),
        ]
        if attempt.extraMinutes > 0 { facts.append(Fact(label: t("exam.extra_time"), value: t("exam.minutes", ["minutes": String(attempt.extraMinutes)]))) }
        if let deadline = attempt.deadlineAt { facts.append(Fact(label: t("exam.deadline"), value: t.dateTime(deadline))) }
        if let submitted = attempt.submittedAt { facts.append(Fact(label: t("exam.submitted_at"), value: t.dateTime(submitted))) }
        let now = Date()
        let status = Optional(attempt.status)
        var note: String?
        if status == .prepared, let refusal = timing.startRefusal(at: now) {
            switch refusal {
            case .notYet(let at): note = t("exam.error.not_yet", ["at": t.dateTime(at)])
            case .tooLate(let at): note = t("exam.error.too_late", ["at": t.dateTime(at)])
            }
        }
        let user = try req.requireUser()
        let page = LandingPage(
            page: PageChrome(req, title: t("exam.title", ["cohort": attempt.applicant.cohort.name])), path: "/exams/\(attempt.id!.uuidString.lowercased())",
            facts: facts, canStart: status == .prepared && note == nil, resume: status == .started,
            elsewhere: status == .started && attempt.activeSession != user.sessionID, submitted: status == .submitted, note: note)
        return .html(try await page.html(req))
    }

    /// Starting, opening and submitting a paper go through the exam gate, so that the burst of
    /// starts at the window's opening (and of submissions at its end) does not hold back the saves
    /// of those who are writing. (Letting starts through and gating only the rendering made the
    /// starts faster and the saves 60 times slower: their reads queue on the same SQLite
    /// connection; see docs/exams.md.) How their writes pass it: `Application.examTurn`.
    ///
    /// A start answers with the paper itself rather than a redirect to it: when a cohort starts
    /// in the same seconds, that is one request a taker instead of two (the redirect's request
    /// read the session, the attempt and the answers again). The page's script then shows
    /// `/take` in the address bar, so that reloading asks for the paper, not another start.
    @Sendable static func start(_ req: Request) async throws -> Response {
        let who = try who(req)
        return try await req.application.examTurn(read: { try await own(req) }, write: { attempt, exam in
            try await taking(req).start(attempt, exam: exam, who: who)
        }, answer: { read, started in
            let (attempt, exam) = read
            // The taker's saves check their answers against the paper's questions: this start
            // has the paper in hand, so the first save need not read it again.
            let paper = attempt.paper
            AttemptFacts.remember(attempt.id!, userID: who.owner.userID, paper: paper)
            // A fresh start has no answers yet; a resumed or moved test has.
            let answers = started.outcome == .started ? [:] : try await savedAnswers(attempt.id!, on: req.reads)
            return try await paperPage(req, attempt, paper, exam, deadline: started.deadline, answers: answers,
                                       notice: started.outcome == .tookOver ? "notice.exam_moved" : nil)
        })
    }

    @Sendable static func take(_ req: Request) async throws -> Response {
        try await req.application.examGate.run { try await takeNow(req) }
    }

    static func takeNow(_ req: Request) async throws -> Response {
        let (attempt, exam) = try await own(req)
        let path = "/exams/\(attempt.id!.uuidString.lowercased())"
        let user = try req.requireUser()
        // Only the session that opened (or took over) the test sees the paper; others go by the
        // landing page, where moving the test here is an explicit step.
        guard attempt.status == .started, attempt.activeSession == user.sessionID,
              let deadline = attempt.deadlineAt else { return req.redirect(to: path) }
        if let until = attempt.savesUntil, until < Date() {
            try await taking(req).submit(attempt.id!, reason: "deadline", who: nil)
            return req.redirect(to: path)
        }
        return try await paperPage(req, attempt, attempt.paper, exam, deadline: deadline, answers: try await savedAnswers(attempt.id!, on: req.reads))
    }

    typealias Answers = [String: (value: String, seq: Int)]

    static func savedAnswers(_ attemptID: UUID, on db: any Database) async throws -> Answers {
        let rows = try await (db as! any SQLDatabase).select().columns("question_key", "value", "seq").from(ExamAnswer.schema)
            .where("attempt_id", .equal, attemptID).all()
        var answers: Answers = [:]
        for row in rows {
            answers[try row.decode(column: "question_key", as: String.self)] = (try row.decode(column: "value", as: String.self), try row.decode(column: "seq", as: Int.self))
        }
        return answers
    }

    /// The taker's paper with their answers, as `/take` shows it (also after a start).
    static func paperPage(_ req: Request, _ attempt: ExamAttempt, _ paper: Paper, _ exam: Exam, deadline: Date, answers: Answers,
                          notice: String? = nil) async throws -> Response {
        let path = "/exams/\(attempt.id!.uuidString.lowercased())"
        let paper = PaperHTML(paper: paper, definition: try await ExamDefinitionCache.definition(of: exam, on: req.db), version: (exam.id!, exam.version),
                              answers: answers, req.localizer)
        return try await ExamPaperPage.render(req, path: path, paper: paper, deadline: deadline, preview: false, notice: notice)
    }

    @Sendable static func submit(_ req: Request) async throws -> Response {
        // Its clock reads the moment the taker's submission arrived: one that arrived in time
        // counts, however long the queue at the end of the test kept it waiting.
        let (submitting, who) = (taking(req), try who(req))
        let id = try await req.application.examTurn(read: { try await own(req).0 }, write: { attempt in
            guard attempt.status == .started else { throw ExamError.alreadySubmitted }
            guard attempt.activeSession == who.session else { throw ExamError.replacedElsewhere }
            return try await submitting.close(attempt.id!, reason: "taker", who: who)
        }, answer: { attempt, closed in
            guard closed else { throw ExamError.closed }
            return attempt.id!
        })
        let path = "/exams/\(id.uuidString.lowercased())"
        // The submission is committed; its marking follows after the answer (ExamMarking).
        req.application.examMarking.add(id)
        return req.redirect(to: path, notice: "notice.exam_submitted")
    }
}
