import CadetCore
import Fluent
import Vapor

/// The staff's view of a round's applicants: search, filters, pages, bulk moves with a
/// confirmation step, import and export, and each applicant's page with the decision explained.
enum PipelineController {
    static func register(_ routes: any RoutesBuilder) {
        let a = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "applicants")
        a.get(use: index)
        a.post("bulk", use: bulk)
        a.get("export.csv", use: export)
        a.on(.POST, "import", body: .collect(maxSize: "32mb"), use: importFile)
        a.get(":applicant", use: show)
        a.post(":applicant", "scores", use: scores)
        a.post(":applicant", "reviewers", use: assign)
        a.get(":applicant", "files", ":file", use: file)
    }

    static func staffRound(_ req: Request) async throws -> RecruitmentLookup.RoundRef {
        let ref = try await RecruitmentLookup.round(req)
        try req.authorize(.manageCohort, in: ref.scope)
        return ref
    }

    struct Row: Encodable {
        let id: UUID
        let number: Int
        let name: String
        let email: String
        let region: String
        let stage: String
        let submitted: String
        let score: String
        let rank: String
        let href: String
    }

    struct Choice: Encodable { let value: String; let label: String }

    struct IndexPage: Encodable {
        let page: PageChrome
        let base: String
        let cohortName: String
        let filter: PipelineFilter
        let rows: [Row]?
        let total: Int
        let from: Int
        let to: Int
        let previous: String?
        let next: String?
        let exportLink: String
        let returnQuery: String
        let stages: [Choice]
        let regions: [Choice]
        let majors: [Choice]
        let ageBands: [Choice]
        let moves: [Choice]
        let sources: [Choice]
        let importProblems: [String]?
        let notice: String?
    }

    static func choices(_ t: Localizer) -> (stages: [Choice], regions: [Choice], majors: [Choice], ages: [Choice], sources: [Choice]) {
        (ApplicationStage.allCases.filter { $0 != .draft }.map { Choice(value: $0.rawValue, label: t("stage.\($0.rawValue)")) },
         Region.allCases.map { Choice(value: $0.rawValue, label: t.locale == .korean ? $0.koreanName : $0.englishName) },
         MajorField.allCases.map { Choice(value: $0.rawValue, label: t("major.\($0.rawValue)")) },
         AgeBand.allCases.map { Choice(value: $0.rawValue, label: t("age.\($0.rawValue)")) },
         [SelectionRules.Criterion.Source.documents, .interview, .committee].map { Choice(value: $0.rawValue, label: t("criterion.\($0.rawValue)")) })
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        try await renderIndex(req, try await staffRound(req))
    }

    static func renderIndex(_ req: Request, _ ref: RecruitmentLookup.RoundRef, importProblems: [String]? = nil, notice: String? = nil,
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let filter = PipelineFilter((try? req.query.decode([String: String].self)) ?? [:])
        let found = try await PipelineQueries.page(filter, round: ref.round, zone: t.timeZone, on: req.db)
        let rows = found.applicants.map { a in
            Row(id: a.id!, number: a.number ?? 0, name: a.name, email: a.email,
                region: a.region.flatMap(Region.init(rawValue:)).map { t.locale == .korean ? $0.koreanName : $0.englishName } ?? "",
                stage: t("stage.\(a.stage.rawValue)"), submitted: t.dateTime(a.submittedAt), score: a.finalScore.map { String(format: "%.2f", $0) } ?? "",
                rank: a.rank.map(String.init) ?? "", href: "\(ref.base)/applicants/\(a.id!.uuidString.lowercased())")
        }
        let c = choices(t)
        let first = PageNumber(value: filter.page).offset(size: PipelineFilter.pageSize)
        let moves = [ApplicationStage.documentsPassed, .documentsFailed, .tested, .interviewed, .committee, .admitted, .waitlisted, .rejected, .enrolled]
        let page = IndexPage(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("pipeline.title"))"),
            base: ref.base, cohortName: ref.cohort.name, filter: filter, rows: rows.nilIfEmpty, total: found.total,
            from: found.total == 0 ? 0 : first + 1, to: first + rows.count,
            previous: filter.page > 1 ? "\(ref.base)/applicants?\(filter.items(page: filter.page - 1))" : nil,
            next: first + rows.count < found.total ? "\(ref.base)/applicants?\(filter.items(page: filter.page + 1))" : nil,
            exportLink: "\(ref.base)/applicants/export.csv?\(filter.items())", returnQuery: filter.items(),
            stages: c.stages, regions: c.regions, majors: c.majors, ageBands: c.ages,
            moves: moves.map { Choice(value: $0.rawValue, label: t("stage.\($0.rawValue)")) }, sources: c.sources,
            importProblems: importProblems, notice: notice)
        return try await req.render("applicants/index", page, status: status)
    }

    struct ConfirmPage: Encodable {
        let page: PageChrome
        let base: String
        let action: String
        let target: String
        let targetLabel: String
        let reviewerEmail: String
        let source: String
        let ids: [String]
        let applicants: [Row]
        let returnQuery: String
    }

    /// Bulk actions run in two steps: the first shows what will change, the second does it.
    @Sendable static func bulk(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        let t = req.localizer
        let values = try req.formMultiValues()
        struct Form {
            var action: String?
            var target: String?
            var reviewer_email: String?
            var source: String?
            var confirm: String?
            var return_query: String?
        }
        let form = Form(action: values["action"], target: values["target"], reviewer_email: values["reviewer_email"], source: values["source"],
                        confirm: values["confirm"], return_query: values["return_query"])
        let ids = (values["ids"] ?? "").split(separator: "\n").compactMap { UUID(uuidString: String($0)) }
        guard !ids.isEmpty else {
            return try await renderIndex(req, ref, notice: t("pipeline.none_selected"), status: .unprocessableEntity)
        }
        let action = form.action == "assign" ? "assign" : "move"
        let target = ApplicationStage(rawValue: form.target ?? "")
        if action == "move", target == nil { throw ValidationFailure([FieldIssue("target", .unknownChoice)]) }
        if form.confirm != "yes" {
            let applicants = try await Applicant.query(on: req.db).filter(\.$round.$id == ref.round.id!).filter(\.$id ~~ ids).sort(\.$number).all()
            let rows = applicants.map { a in
                Row(id: a.id!, number: a.number ?? 0, name: a.name, email: a.email, region: a.region ?? "", stage: t("stage.\(a.stage.rawValue)"),
                    submitted: "", score: "", rank: "", href: "")
            }
            return try await req.render("applicants/confirm", ConfirmPage(
                page: PageChrome(req, title: t("pipeline.confirm_title")), base: ref.base, action: action,
                target: target?.rawValue ?? "", targetLabel: target.map { t("stage.\($0.rawValue)") } ?? "",
                reviewerEmail: form.reviewer_email ?? "", source: form.source ?? "", ids: ids.map(\.uuidString), applicants: rows,
                returnQuery: form.return_query ?? ""))
        }
        if action == "assign" {
            guard let source = SelectionRules.Criterion.Source(rawValue: form.source ?? "") else { throw ValidationFailure([FieldIssue("source", .unknownChoice)]) }
            let count = try await ReviewService(database: req.db, actor: req.actor)
                .assign(ids, reviewerEmail: form.reviewer_email ?? "", source: source, round: ref.round, cohort: ref.cohort)
            return req.redirect(to: "\(ref.base)/applicants?\(form.return_query ?? "")", notice: count > 0 ? "notice.assigned" : "notice.nothing_changed")
        }
        let outcome = try await PipelineService(database: req.db, actor: req.actor, localizer: req.localizer).move(ids, in: ref.cohort, to: target!)
        if !outcome.skipped.isEmpty {
            return try await renderIndex(req, ref, notice: t("pipeline.moved_some", ["moved": String(outcome.moved),
                                                                                     "skipped": outcome.skipped.map { "#\($0)" }.joined(separator: ", ")]))
        }
        return req.redirect(to: "\(ref.base)/applicants?\(form.return_query ?? "")", notice: "notice.moved")
    }

    @Sendable static func export(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        let filter = PipelineFilter((try? req.query.decode([String: String].self)) ?? [:])
        let applicants = try await PipelineQueries.all(filter, round: ref.round, zone: req.localizer.timeZone, on: req.db)
        let questions = try await RoundService.questions(of: ref.round.id!, on: req.db)
        let export = ApplicationsExport.table(applicants, questions: questions, zone: req.localizer.timeZone)
        let response = FileResponse.csv(header: export.header, rows: export.rows, filename: "\(ref.cohortRef.programme.slug)-\(ref.cohort.slug)-applicants.csv")
        try await AuditLog.record(AuditEntry(action: "applications.exported", entityType: "round", entityID: ref.round.id,
                                             summary: "\(applicants.count) rows", programmeID: ref.cohortRef.programme.id, cohortID: ref.cohort.id),
                                  by: req.actor, on: req.db)
        return response
    }

    @Sendable static func importFile(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        guard let file = req.uploadedFile() else {
            return try await renderIndex(req, ref, importProblems: [req.localizer("import.no_file")], status: .unprocessableEntity)
        }
        let outcome = try await ApplicationsImporter(database: req.db, actor: req.actor, timeZone: req.application.config.timeZone)
            .run(Array(file.data.readableBytesView), round: ref.round, cohort: ref.cohort)
        switch outcome {
        case .imported(let count):
            return try await renderIndex(req, ref, notice: req.localizer("import.done", ["count": String(count)]))
        case .problems(let problems):
            return try await renderIndex(req, ref, importProblems: problems.prefix(200).map { $0.message(req.localizer) }
                                         + (problems.count > 200 ? [req.localizer("import.more", ["count": String(problems.count - 200)])] : []),
                                         status: .unprocessableEntity)
        }
    }
}
