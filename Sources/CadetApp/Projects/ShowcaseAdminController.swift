import CadetCore
import Fluent
import Vapor

/// The showcase for staff: set it up (day, place, rubric, pairwise judging, the public page),
/// appoint judges, read the results both ways, and give awards.
enum ShowcaseAdminController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "showcase")
        c.get(use: show)
        c.post(use: save)
        c.post("judges", use: addJudge)
        c.post("awards", use: award)
    }

    struct Choice: Encodable { let value: String; let label: String }
    struct Row: Encodable { let rank: Int; let title: String; let company: String?; let points: String; let judges: Int; let strength: String; let awards: String? }

    struct Page: Encodable {
        let page: PageChrome
        let cohortBase: String
        let base: String
        let canManage: Bool
        let exists: Bool
        let publicURL: String?
        let judges: [String]?
        let people: [Choice]
        let teams: [Choice]
        let results: [Row]?
        let votes: String
        let form: FormState
        let problem: String?
    }

    static func base(_ ref: DirectoryLookup.CohortRef) -> String { TrainingLookup.base(ref) + "/showcase" }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await TrainingLookup.cohort(req, .viewProjects))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, form: FormState = .empty, problem: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let showcase = try await Showcase.query(on: req.db).filter(\.$cohort.$id == ref.id).first()
        let canManage = try req.requireUser().policy.allows(.manageProjects, in: ref.scope)
        var results: [ShowcaseService.Result] = []
        var judges: [ShowcaseJudge] = []
        var votes = 0
        if let showcase {
            results = try await ShowcaseService(database: req.db, actor: req.actor, now: req.now).results(showcase, in: ref)
            judges = try await ShowcaseJudge.query(on: req.db).filter(\.$showcase.$id == showcase.requireID()).with(\.$user).all()
            votes = try await PairwiseVote.query(on: req.db).filter(\.$showcase.$id == showcase.requireID()).count()
        }
        let people = canManage ? try await ProjectLookup.people(holding: ShowcaseService.judgeRoles, over: ref, on: req.db) : []
        var values = form.values
        if values.isEmpty, let showcase {
            values = ["title": showcase.title, "held_on": showcase.heldOn, "place": showcase.place, "rubric": showcase.rubric.text,
                      "pairwise": showcase.pairwise ? "on" : "", "published": showcase.published ? "on" : ""]
        } else if values.isEmpty {
            values = ["title": "\(ref.cohort.name) 성과보고회 (Showcase)", "rubric": Rubric.standard.text, "pairwise": "on"]
        }
        return try await req.render("projects/showcase_admin", Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("showcase.title"))"), cohortBase: TrainingLookup.base(ref), base: base(ref), canManage: canManage,
            exists: showcase != nil, publicURL: showcase?.published == true ? "/showcase/\(ref.programme.slug)/\(ref.cohort.slug)" : nil,
            judges: judges.map { "\($0.user.name) <\($0.user.email)>" }.sorted().nilIfEmpty,
            people: people.map { Choice(value: $0.0.id!.uuidString.lowercased(), label: "\($0.0.name) <\($0.0.email)> · \(t("role.\($0.1.rawValue)"))") },
            teams: results.map { Choice(value: $0.project.id!.uuidString.lowercased(), label: $0.project.title) }.sorted { $0.label < $1.label },
            results: rows(results).nilIfEmpty, votes: t("showcase.votes", ["count": String(votes)]),
            form: FormState(values: values, errors: form.errors, formError: form.formError), problem: problem), status: status)
    }

    /// Results as the table shows them: the pairwise rank beside the rubric's.
    static func rows(_ results: [ShowcaseService.Result]) -> [Row] {
        let strengths = results.compactMap(\.strength).sorted(by: >)
        return results.enumerated().map { index, r in
            let pairwise = r.strength.map { s in "\(strengths.firstIndex(of: s)! + 1) (\(String(format: "%+.2f", s)))" } ?? "—"
            let awards = r.awards.joined(separator: ", ")
            return Row(rank: index + 1, title: r.project.title, company: r.project.company?.name, points: r.points.map { String(format: "%.1f", $0) } ?? "—",
                       judges: r.judges, strength: pairwise, awards: awards.isEmpty ? nil : awards)
        }
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let values = try req.formValues()
        do {
            _ = try await ShowcaseService(database: req.db, actor: req.actor, now: req.now).save(try ShowcaseDraft.parse(values), in: ref)
        } catch let failure as ValidationFailure {
            return try await render(req, ref, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
        return req.redirect(to: base(ref), notice: "notice.saved")
    }

    static func showcase(_ ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> Showcase {
        guard let showcase = try await Showcase.query(on: db).filter(\.$cohort.$id == ref.id).first() else { throw ProjectsError.showcaseNotFound }
        return showcase
    }

    @Sendable static func addJudge(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let showcase = try await showcase(ref, on: req.db)
        guard let id = try req.formValues()["person"].flatMap(UUID.init(uuidString:)), let person = try await User.find(id, on: req.db) else {
            return try await render(req, ref, problem: req.localizer(ProjectsError.notAJudge.messageKey), status: .unprocessableEntity)
        }
        return try await attempt(req, ref, notice: "notice.judge_added") {
            if try await ShowcaseJudge.query(on: req.db).filter(\.$showcase.$id == showcase.requireID()).filter(\.$user.$id == id).first() == nil {
                try await ShowcaseService(database: req.db, actor: req.actor, now: req.now).addJudge(person, to: showcase, in: ref)
            }
        }
    }

    @Sendable static func award(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let showcase = try await showcase(ref, on: req.db)
        let values = try req.formValues()
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 2, maxLength: 80)
        let project = reader.raw("project").flatMap(UUID.init(uuidString:))
        if project == nil { reader.add(FieldIssue("project", .required)) }
        do { try reader.check() } catch { return try await render(req, ref, problem: ProjectForm.summary(error, req.localizer), status: .unprocessableEntity) }
        return try await attempt(req, ref, notice: "notice.showcase_awarded") {
            let team = try await ProjectLookup.proposal(project!, in: ref, on: req.db)
            try await ShowcaseService(database: req.db, actor: req.actor, now: req.now)
                .award(title!, to: team, on: CalendarDate(iso: showcase.heldOn) ?? CalendarDate(req.now, in: req.localizer.timeZone), in: showcase, ref: ref)
        }
    }

    static func attempt(_ req: Request, _ ref: DirectoryLookup.CohortRef, notice: String, _ change: () async throws -> Void) async throws -> Response {
        do {
            try await change()
        } catch let error as ProjectsError {
            return try await render(req, ref, problem: req.localizer(error.messageKey, error.messageArguments), status: error.status)
        }
        return req.redirect(to: base(ref), notice: notice)
    }
}
