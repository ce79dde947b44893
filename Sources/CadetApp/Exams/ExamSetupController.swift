import CadetCore
import CadetSandbox
import Fluent
import Vapor

/// Staff set a round's test up: its timing, its content (uploaded and exported as a file),
/// a preview as a taker, a check of each coding question's tests against its reference
/// solution, and the attempts prepared before the window opens.
enum ExamSetupController {
    static func register(_ routes: any RoutesBuilder) {
        let r = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "exam")
        r.get(use: show)
        r.post("timing", use: saveTiming)
        r.on(.POST, "definition", body: .collect(maxSize: "4mb"), use: uploadDefinition)
        r.get("definition.json", use: export)
        r.get("preview", use: preview)
        r.post("questions", ":question", "check", use: check)
        r.get("checks", ":job", use: checkResult)
        r.post("prepare", use: prepare)
        ExamMonitorController.register(r)
    }

    struct StaffRef {
        let round: RecruitmentLookup.RoundRef
        let exam: Exam?
        var base: String { round.base + "/exam" }
        func requireExam() throws -> Exam {
            guard let exam else { throw ExamError.noExam }
            return exam
        }
    }

    static func staffRef(_ req: Request) async throws -> StaffRef {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        guard let round = try await RoundService.round(of: ref.id, on: req.db) else { throw RecruitmentError.noRound }
        let roundRef = RecruitmentLookup.RoundRef(cohortRef: ref, round: round)
        return StaffRef(round: roundRef, exam: try await ExamSetupService.exam(of: round.id!, on: req.db))
    }

    struct SectionRow: Encodable { let title: String; let draw: String; let questions: [QuestionRow] }
    struct QuestionRow: Encodable { let key: String; let kind: String; let points: String; let checkable: Bool; let checkPath: String }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let recruitmentPath: String
        let cohortName: String
        let hasExam: Bool
        let timing: FormState
        let title: String?
        let version: Int
        let maxScore: String
        let sections: [SectionRow]?
        let problems: [String]?
        let uploadProblems: [String]?
        let eligible: Int
        let prepared: Int
        let started: Int
        let submitted: Int
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await staffRef(req))
    }

    static func render(_ req: Request, _ ref: StaffRef, timing: FormState? = nil, uploadProblems: [String]? = nil,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let definition = ref.exam.map(ExamDefinitionCache.definition(of:)) ?? .empty
        var values: [String: String] = ["grace_seconds": "30", "late_start_minutes": "30", "duration_minutes": "120"]
        if let exam = ref.exam {
            values = ["window_start": req.localInput(exam.windowStart), "window_end": req.localInput(exam.windowEnd),
                      "duration_minutes": String(exam.durationMinutes), "late_start_minutes": String(exam.lateStartMinutes),
                      "grace_seconds": String(exam.graceSeconds)]
        }
        let sections = definition.sections.map { section in
            SectionRow(title: section.title, draw: section.draw.map { t("exam.draw", ["draw": String($0), "of": String(section.questions.count)]) } ?? t("exam.draw_all"),
                       questions: section.questions.map { q in
                           QuestionRow(key: q.key, kind: t("exam.kind.\(q.kind.rawValue)"), points: String(format: "%g", q.maxPoints),
                                       checkable: q.kind == .coding && q.reference != nil, checkPath: "\(ref.base)/questions/\(q.key)/check")
                       })
        }
        var counts: [String: Int] = [:]
        if let exam = ref.exam {
            for status in [ExamAttempt.Status.prepared, .started, .submitted] {
                counts[status.rawValue] = try await ExamAttempt.query(on: req.db).filter(\.$exam.$id == exam.id!).filter(\.$status == status).count()
            }
        }
        let eligible = try await Applicant.query(on: req.db).filter(\.$round.$id == ref.round.round.id!)
            .filter(\.$stage ~~ ExamSetupService.eligibleStages).count()
        let page = Page(
            page: PageChrome(req, title: t("exam.setup.title")), base: ref.base, recruitmentPath: ref.round.base + "/recruitment", cohortName: ref.round.cohort.name, hasExam: ref.exam != nil,
            timing: timing ?? FormState(values: values, errors: [:], formError: nil), title: definition.title.isEmpty ? nil : definition.title,
            version: ref.exam?.version ?? 0, maxScore: String(format: "%g", definition.maxScore), sections: sections.nilIfEmpty,
            problems: definition.sections.isEmpty ? nil : definition.problems().nilIfEmpty, uploadProblems: uploadProblems,
            eligible: eligible, prepared: counts["prepared"] ?? 0, started: counts["started"] ?? 0, submitted: counts["submitted"] ?? 0)
        return try await req.render("exam/setup", page, status: status)
    }

    @Sendable static func saveTiming(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let values = try req.formValues()
        do {
            try await ExamSetupService(database: req.db, actor: req.actor).saveTiming(values, round: ref.round.round, zone: req.application.config.timeZone)
            return req.redirect(to: ref.base, notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, timing: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func uploadDefinition(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let exam = try ref.requireExam()
        guard let file = req.uploadedFile() else {
            return try await render(req, ref, uploadProblems: [req.localizer("import.no_file")], status: .unprocessableEntity)
        }
        do {
            try await ExamSetupService(database: req.db, actor: req.actor).saveDefinition(Data(file.data.readableBytesView), exam: exam, cohortID: ref.round.cohortRef.id)
            return req.redirect(to: ref.base, notice: "notice.exam_content_saved")
        } catch let error as ExamError {
            let problems: [String]
            switch error {
            case .definitionInvalid(let list): problems = list
            case .definitionUnreadable(let detail): problems = [req.localizer("exam.error.definition_unreadable", ["detail": detail])]
            default: throw error
            }
            return try await render(req, ref, uploadProblems: problems, status: .unprocessableEntity)
        }
    }

    /// The content as a file, to keep or to load into next year's round.
    @Sendable static func export(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let exam = try ref.requireExam()
        return FileResponse.json(ExamDefinitionCache.definition(of: exam).json + "\n",
                                 filename: "\(ref.round.cohortRef.programme.slug)-\(ref.round.cohort.slug)-exam.json")
    }

    /// The paper as a taker would see it, drawn afresh each time; nothing is saved.
    @Sendable static func preview(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let exam = try ref.requireExam()
        let definition = ExamDefinitionCache.definition(of: exam)
        let paper = Paper.draw(definition.plan, seed: UInt64.random(in: .min ... .max))
        return try await ExamPaperPage.render(req, path: ref.base, paper: PaperHTML(paper: paper, definition: definition, version: nil, answers: [:], req.localizer),
                                         deadline: Date().addingTimeInterval(TimeInterval(exam.durationMinutes * 60)), preview: true,
                                         title: req.localizer("exam.preview"))
    }

    static let checkPurpose = "exam-check"

    /// Runs the question's reference solution against all its tests, samples and hidden.
    @Sendable static func check(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let exam = try ref.requireExam()
        guard let key = req.parameters.get("question"), let question = ExamDefinitionCache.definition(of: exam).questions[key],
              let problem = question.problem, let reference = question.reference else { throw ExamError.noQuestion }
        let id = try await GradingQueue(database: req.db).enqueue(problem: problem, source: reference, purpose: checkPurpose,
                                                                  reference: exam.id!.uuidString, priority: .interactive)
        return req.redirect(to: "\(ref.base)/checks/\(id.uuidString.lowercased())")
    }

    struct CheckRow: Encodable { let name: String; let sample: Bool; let verdict: String; let points: String; let ms: Int; let output: String?; let message: String? }
    struct CheckPage: Encodable { let page: PageChrome; let base: String; let done: Bool; let passed: Bool; let summary: String?; let rows: [CheckRow]? }

    @Sendable static func checkResult(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let exam = try ref.requireExam()
        guard let id = req.parameters.get("job", as: UUID.self),
              let job = try await GradingJob.query(on: req.db).filter(\.$id == id).filter(\.$purpose == checkPurpose)
                .filter(\.$reference == exam.id!.uuidString).first() else { throw ExamError.noQuestion }
        let t = req.localizer
        var chrome = PageChrome(req, title: t("exam.check.title"))
        guard let json = job.resultJSON, let report = try? JSONDecoder().decode(GradingReport.self, from: Data(json.utf8)) else {
            chrome.refresh = 2
            return try await req.render("exam/check", CheckPage(page: chrome, base: ref.base, done: false, passed: false, summary: nil, rows: nil))
        }
        let rows = report.tests.map {
            CheckRow(name: $0.name, sample: $0.sample, verdict: t("verdict.\($0.verdict.rawValue)"), points: "\(String(format: "%g", $0.points))/\(String(format: "%g", $0.maxPoints))",
                     ms: $0.wallMilliseconds, output: $0.output, message: $0.message)
        }
        let passed = report.verdict == .accepted && report.score == report.maxScore
        let summary = t(passed ? "exam.check.passed" : "exam.check.failed", ["score": String(format: "%g", report.score), "max": String(format: "%g", report.maxScore)])
            + (report.message.map { " " + $0 } ?? "")
        return try await req.render("exam/check", CheckPage(page: chrome, base: ref.base, done: true, passed: passed, summary: summary, rows: rows.nilIfEmpty))
    }

    @Sendable static func prepare(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let exam = try ref.requireExam()
        try await ExamSetupService(database: req.db, actor: req.actor).prepare(exam: exam, round: ref.round.round)
        return req.redirect(to: ref.base, notice: "notice.exam_prepared")
    }
}
