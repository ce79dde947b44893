import CadetCore
import CadetSandbox
import Fluent
import Vapor

/// Staff during and after the window: the live page, the results with their integrity signals,
/// one attempt in full, extra time, and re-grading after a question is fixed.
enum ExamMonitorController {
    static func register(_ r: any RoutesBuilder) {
        r.get("live", use: live)
        r.get("results", use: results)
        r.get("results.csv", use: resultsCSV)
        r.get("attempts", ":attempt", use: attempt)
        r.post("attempts", ":attempt", "extra-time", use: extraTime)
        r.post("regrade", use: regrade)
    }

    struct LiveRow: Encodable { let href: String; let number: String; let name: String; let started: String; let lastSeen: String; let deadline: String; let offline: Int; let silent: Bool }
    struct LivePage: Encodable {
        let page: PageChrome
        let base: String
        let notStarted: Int
        let inProgress: Int
        let submitted: Int
        let graded: Int
        let troubled: Int
        let queueDepth: Int
        let latency: String
        let rows: [LiveRow]?
    }

    @Sendable static func live(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        let t = req.localizer
        let now = req.now
        let queries = ExamQueries(database: req.db, now: now)
        let counts = try await queries.statusCounts(of: exam.id!)
        let running = try await queries.attempts(of: exam.id!, status: .started, limit: 300)
        let offline = try await queries.eventCounts(of: exam.id!, since: now.addingTimeInterval(-600))
        let rows = running.map { a in
            LiveRow(href: "\(ref.base)/attempts/\(a.id.uuidString.lowercased())", number: a.number.map(String.init) ?? "—", name: a.name,
                    started: t.dateTime(a.startedAt), lastSeen: a.lastSeenAt.map { t("exam.seconds_ago", ["seconds": String(Int(now.timeIntervalSince($0).rounded()))]) } ?? "—",
                    deadline: t.dateTime(a.deadlineAt), offline: offline[a.id]?["offline"] ?? 0,
                    silent: a.lastSeenAt.map { now.timeIntervalSince($0) > ExamQueries.silentAfter } ?? true)
        }
        let queue = GradingQueue(database: req.db)
        let latencies = try await queue.recentLatencies().sorted()
        let graded = try await ExamAttempt.query(on: req.db).filter(\.$exam.$id == exam.id!).filter(\.$gradedAt != nil).count()
        var chrome = PageChrome(req, title: t("exam.live.title"))
        chrome.refresh = 10
        let page = LivePage(page: chrome, base: ref.base, notStarted: counts["prepared"] ?? 0, inProgress: counts["started"] ?? 0,
                            submitted: counts["submitted"] ?? 0, graded: graded, troubled: rows.filter { $0.silent || $0.offline > 0 }.count,
                            queueDepth: try await queue.depth(),
                            latency: latencies.isEmpty ? "—" : String(format: "%.1f s / %.1f s", CadetMetrics.percentile(latencies, 0.5), CadetMetrics.percentile(latencies, 0.95)),
                            rows: rows.sorted { ($0.silent ? 0 : 1, -$0.offline) < ($1.silent ? 0 : 1, -$1.offline) }.nilIfEmpty)
        return try await req.render("exam/live", page)
    }

    struct ResultRow: Encodable {
        let href: String; let number: String; let name: String; let status: String
        let objective: String; let code: String; let total: String; let percent: String; let pending: Bool
        let focusLost: Int; let pastes: Int; let addresses: Int; let browsers: Int; let takeovers: Int
    }
    struct PairRow: Encodable { let question: String; let first: String; let firstHref: String; let second: String; let secondHref: String; let similarity: String }
    struct ResultsPage: Encodable {
        let page: PageChrome
        let base: String
        let rows: [ResultRow]?
        let pairs: [PairRow]?
        let questions: [String]
    }

    static func resultRows(_ req: Request, _ ref: ExamSetupController.StaffRef, _ exam: Exam) async throws -> [ResultRow] {
        let t = req.localizer
        let queries = ExamQueries(database: req.db)
        let attempts = try await queries.attempts(of: exam.id!)
        let events = try await queries.eventCounts(of: exam.id!)
        let places = try await queries.places(of: exam.id!)
        func number(_ value: Double?) -> String { value.map { String(format: "%g", $0) } ?? "—" }
        return attempts.sorted { ($0.total ?? -1, -($0.number ?? 0)) > ($1.total ?? -1, -($1.number ?? 0)) }.map { a in
            let kinds = events[a.id] ?? [:]
            let percent = a.total.flatMap { total in a.max.flatMap { $0 > 0 ? String(format: "%.1f%%", total / $0 * 100) : nil } } ?? "—"
            return ResultRow(href: "\(ref.base)/attempts/\(a.id.uuidString.lowercased())", number: a.number.map(String.init) ?? "—", name: a.name,
                             status: t("exam.status.\(a.status.rawValue)"), objective: number(a.objective), code: number(a.code), total: number(a.total),
                             percent: percent, pending: a.status == .submitted && a.gradedAt == nil,
                             focusLost: kinds["focus_lost"] ?? 0, pastes: kinds["paste"] ?? 0, addresses: places[a.id]?.addresses ?? 0,
                             browsers: places[a.id]?.browsers ?? 0, takeovers: kinds["takeover"] ?? 0)
        }
    }

    @Sendable static func results(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        let definition = ExamDefinitionCache.definition(of: exam)
        let rows = try await resultRows(req, ref, exam)
        let names = Dictionary(rows.map { ($0.href, "\($0.number) \($0.name)") }, uniquingKeysWith: { a, _ in a })
        let pairs = try await ExamQueries(database: req.db).similarPairs(of: exam.id!, definition: definition).map { question, pair in
            let first = "\(ref.base)/attempts/\(pair.first.lowercased())", second = "\(ref.base)/attempts/\(pair.second.lowercased())"
            return PairRow(question: question, first: names[first] ?? "", firstHref: first, second: names[second] ?? "", secondHref: second,
                           similarity: String(format: "%.0f%%", pair.similarity * 100))
        }
        let page = ResultsPage(page: PageChrome(req, title: req.localizer("exam.results.title")), base: ref.base, rows: rows.nilIfEmpty,
                               pairs: pairs.nilIfEmpty, questions: definition.sections.flatMap(\.questions).map(\.key))
        return try await req.render("exam/results", page)
    }

    @Sendable static func resultsCSV(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        let rows = try await resultRows(req, ref, exam).map { r in
            [r.number, r.name, r.status, r.objective, r.code, r.total, r.percent, String(r.focusLost), String(r.pastes),
             String(r.addresses), String(r.browsers), String(r.takeovers)]
        }
        return FileResponse.csv(header: ["number", "name", "status", "objective", "code", "total", "percent",
                                         "focus_lost", "pastes", "addresses", "browsers", "takeovers"], rows: rows, filename: "exam-results.csv")
    }

    struct AnswerRow: Encodable {
        let number: Int; let key: String; let statement: String; let answer: String; let score: String; let verdict: String
        let tests: [TestRow]?
    }
    struct TestRow: Encodable { let name: String; let sample: Bool; let verdict: String; let points: String; let message: String? }
    struct EventRow: Encodable { let at: String; let kind: String; let detail: String; let address: String; let browser: String }
    struct AttemptPage: Encodable {
        let page: PageChrome
        let base: String
        let path: String
        let facts: [ExamTakerController.Fact]
        let extraMinutes: String
        let extraError: String?
        let answers: [AnswerRow]
        let events: [EventRow]?
    }

    static func staffAttempt(_ req: Request, _ exam: Exam) async throws -> ExamAttempt {
        guard let id = req.parameters.get("attempt", as: UUID.self),
              let attempt = try await ExamAttempt.query(on: req.db).filter(\.$id == id).filter(\.$exam.$id == exam.id!).with(\.$applicant).first() else {
            throw ExamError.noExam
        }
        return attempt
    }

    @Sendable static func attempt(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        return try await renderAttempt(req, ref, exam, try await staffAttempt(req, exam))
    }

    static func renderAttempt(_ req: Request, _ ref: ExamSetupController.StaffRef, _ exam: Exam, _ attempt: ExamAttempt,
                              extraError: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let definition = ExamDefinitionCache.definition(of: exam)
        let questions = definition.questions
        let answers = Dictionary(try await ExamAnswer.query(on: req.db).filter(\.$attempt.$id == attempt.id!).all().map { ($0.questionKey, $0) },
                                 uniquingKeysWith: { a, _ in a })
        let jobs = Dictionary(try await GradingJob.query(on: req.db).filter(\.$id ~~ answers.values.compactMap(\.gradingJobID)).all().map { ($0.id!, $0) },
                              uniquingKeysWith: { a, _ in a })
        let rows = attempt.paper.items.enumerated().map { index, item in
            let answer = answers[item.question]
            let report = answer?.gradingJobID.flatMap { jobs[$0]?.resultJSON }.flatMap { try? JSONDecoder().decode(GradingReport.self, from: Data($0.utf8)) }
            let question = questions[item.question]
            var shown = answer?.value ?? ""
            if let choices = question?.choices, !shown.isEmpty {
                shown = shown.split(separator: ",").compactMap { Int($0).flatMap { choices.indices.contains($0) ? choices[$0] : nil } }.joined(separator: " · ")
            }
            return AnswerRow(number: index + 1, key: item.question, statement: SafeMarkdown.html(question?.statement ?? ""), answer: shown,
                             score: "\(answer?.score.map { String(format: "%g", $0) } ?? "—") / \(String(format: "%g", question?.maxPoints ?? 0))",
                             verdict: answer?.verdict.map { t("verdict.\($0)") } ?? (answer == nil ? t("verdict.blank") : "…"),
                             tests: report?.tests.map { TestRow(name: $0.name, sample: $0.sample, verdict: t("verdict.\($0.verdict.rawValue)"),
                                                                points: "\(String(format: "%g", $0.points))/\(String(format: "%g", $0.maxPoints))", message: $0.message) }.nilIfEmpty)
        }
        let events = try await ExamEvent.query(on: req.db).filter(\.$attempt.$id == attempt.id!).sort(\.$at).limit(500).all().map {
            EventRow(at: t.dateTime($0.at) + String(format: ":%02d", Calendar(identifier: .gregorian).component(.second, from: $0.at)),
                     kind: t("exam.event.\($0.kind)"), detail: $0.detail ?? "", address: $0.address ?? "", browser: $0.userAgent ?? "")
        }
        let a = attempt.applicant
        var facts = [
            ExamTakerController.Fact(label: t("field.name"), value: "\(a.number.map { "#\($0) " } ?? "")\(a.name)"),
            ExamTakerController.Fact(label: t("exam.status"), value: t("exam.status.\(attempt.status.rawValue)")),
            ExamTakerController.Fact(label: t("exam.started_at"), value: t.dateTime(attempt.startedAt)),
            ExamTakerController.Fact(label: t("exam.deadline"), value: t.dateTime(attempt.deadlineAt)),
            ExamTakerController.Fact(label: t("exam.submitted_at"), value: t.dateTime(attempt.submittedAt)),
        ]
        if let total = attempt.totalScore {
            facts.append(.init(label: t("exam.total"), value: "\(String(format: "%g", total)) / \(String(format: "%g", attempt.maxScore ?? 0))"))
        }
        let path = "\(ref.base)/attempts/\(attempt.id!.uuidString.lowercased())"
        let page = AttemptPage(page: PageChrome(req, title: t("exam.attempt.title", ["name": a.name])), base: ref.base, path: path, facts: facts,
                               extraMinutes: String(attempt.extraMinutes), extraError: extraError, answers: rows, events: events.nilIfEmpty)
        return try await req.render("exam/attempt", page, status: status)
    }

    @Sendable static func extraTime(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        let attempt = try await staffAttempt(req, exam)
        let values = try req.formValues()
        do {
            try await ExamSetupService(database: req.db, actor: req.actor).grantExtraTime(values["extra_minutes"], attempt: attempt, exam: exam, cohortID: ref.round.cohortRef.id)
            return req.redirect(to: "\(ref.base)/attempts/\(attempt.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderAttempt(req, ref, exam, attempt, extraError: FieldMessages.messages(failure, req.localizer)["extra_minutes"],
                                           status: .unprocessableEntity)
        }
    }

    @Sendable static func regrade(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        let values = try req.formValues()
        try await ExamGrading(database: req.db).regrade(exam: exam, questionKey: values["question"] ?? "", actor: req.actor, cohortID: ref.round.cohortRef.id)
        return req.redirect(to: "\(ref.base)/results", notice: "notice.exam_regrading")
    }
}
