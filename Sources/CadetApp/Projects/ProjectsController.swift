import CadetCore
import Fluent
import Vapor

/// Projects as trainees and partner companies meet them. A trainee sees their cohort's approved
/// projects, ranks up to five, proposes a free-topic one and, once matched, their team and its
/// mentors. A company contact proposes corporate projects to the cohorts they work with and
/// follows their approval.
enum ProjectsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("projects", use: show)
        routes.post("projects", "preferences", use: savePreferences)
        routes.post("projects", "proposals", use: propose)
    }

    struct Choice: Encodable { let value: String; let label: String }
    struct Project: Encodable { let id: String; let title: String; let kind: String; let company: String?; let problem: String; let data: String; let skills: String; let size: String }
    struct Mine: Encodable { let title: String; let cohort: String; let status: String; let statusKey: String }
    struct Team: Encodable { let title: String; let members: [String]; let mentors: [String]?; let milestones: [MilestonesController.Milestone]? }
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct Slot: Encodable { let field: String; let label: String; let options: [Option] }

    struct Page: Encodable {
        let page: PageChrome
        /// The trainee's cohort (its id goes back with their forms).
        let cohort: String?
        let cohortName: String?
        let team: Team?
        let projects: [Project]?
        let slots: [Slot]
        let mine: [Mine]?
        /// A company contact's cohorts and companies to propose with.
        let contactCohorts: [Choice]?
        let contactCompanies: [Choice]?
        let form: FormState
        let problem: String?
    }

    /// A trainee's newest cohort, as a reference the project services take.
    static func traineeCohort(_ user: CurrentUser, on db: any Database) async throws -> DirectoryLookup.CohortRef? {
        guard let (cohort, programme, _) = try await TrainingLookup.traineeCohorts(of: user.id, on: db).first else { return nil }
        return DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID())
    }

    /// The cohorts a company contact works with, and the companies they speak for in each programme.
    static func contactCohorts(_ user: CurrentUser, on db: any Database) async throws -> [(DirectoryLookup.CohortRef, [Company])] {
        var result: [(DirectoryLookup.CohortRef, [Company])] = []
        for grant in user.policy.grants where grant.role == .companyContact {
            guard let id = grant.scope.cohortID?.uuid, let cohort = try await Cohort.query(on: db).filter(\.$id == id).with(\.$programme).first() else { continue }
            let companies = try await ProjectLookup.companies(contactedBy: user.email, in: cohort.programme, on: db)
            if !companies.isEmpty { result.append((DirectoryLookup.CohortRef(programme: cohort.programme, cohort: cohort, id: id), companies)) }
        }
        return result
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req)
    }

    static func render(_ req: Request, form: FormState = .empty, problem: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let ref = try await traineeCohort(user, on: req.db)
        let contact = try await contactCohorts(user, on: req.db)
        guard ref != nil || !contact.isEmpty else { throw ProjectsError.noProjectCohort }
        var team: Team?
        var projects: [Project] = []
        var ranking: [String: String] = [:]
        if let ref {
            let loaded = try await ProjectTeams.load(ref, on: req.db)
            if let mine = loaded.teams.first(where: { $0.members.contains { $0.user.id == user.id } }) {
                let progress = try await MilestoneService.progress(of: mine.project, in: ref, on: req.db)
                team = Team(title: mine.project.title, members: mine.members.map(\.user.name),
                            mentors: mine.mentors.map { "\($0.1.name) · \(t("mentor_kind.\($0.0.kind.rawValue)"))" }.nilIfEmpty,
                            milestones: MilestonesController.rows(progress, files: { "/projects/milestones/\($0.id!.uuidString.lowercased())/file" }, t).nilIfEmpty)
            }
            projects = loaded.teams.map { p in
                Project(id: p.project.id!.uuidString.lowercased(), title: p.project.title, kind: t("project_kind.\(p.project.kind.rawValue)"),
                        company: p.project.company?.name, problem: p.project.problem, data: p.project.data, skills: p.project.skills,
                        size: "\(p.project.teamMin)–\(p.project.teamMax)")
            }
            for preference in try await ProjectPreference.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == user.id).all() {
                ranking["choice_\(preference.rank)"] = preference.$proposal.id.uuidString.lowercased()
            }
        }
        let cohortIDs = ([ref?.id] + contact.map { $0.0.id }).compactMap { $0 }
        let proposals = try await ProjectProposal.query(on: req.db).filter(\.$proposedBy == user.id).filter(\.$cohort.$id ~~ cohortIDs).with(\.$cohort)
            .sort(\.$createdAt, .descending).all()
        return try await req.render("projects/projects", Page(
            page: PageChrome(req, title: t("projects.title")), cohort: ref?.id.uuidString.lowercased(), cohortName: ref.map { "\($0.programme.name) · \($0.cohort.name)" },
            team: team, projects: projects.nilIfEmpty,
            slots: PreferenceDraft.fields.enumerated().map { index, field in
                let chosen = PreferenceDraft.fields.contains { form.values[$0] != nil } ? form.values[field] : ranking[field]
                return Slot(field: field, label: t("projects.choice_n", ["n": String(index + 1)]),
                            options: projects.map { Option(value: $0.id, label: $0.title, selected: $0.id == chosen) })
            },
            mine: proposals.map { Mine(title: $0.title, cohort: $0.cohort.name, status: t("proposal_status.\($0.status.rawValue)"), statusKey: $0.status.rawValue) }.nilIfEmpty,
            contactCohorts: contact.map { Choice(value: $0.0.id.uuidString.lowercased(), label: "\($0.0.programme.name) · \($0.0.cohort.name)") }.nilIfEmpty,
            contactCompanies: Dictionary(contact.flatMap(\.1).map { ($0.id!.uuidString.lowercased(), $0.name) }) { a, _ in a }
                .map { Choice(value: $0.key, label: $0.value) }.sorted { $0.label < $1.label }.nilIfEmpty,
            form: form.values["team_min"] == nil ? FormState(values: form.values.merging(["team_min": "4", "team_max": "6"]) { a, _ in a }, errors: form.errors, formError: form.formError) : form,
            problem: problem), status: status)
    }

    @Sendable static func savePreferences(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let ref = try await traineeCohort(user, on: req.db) else { throw ProjectsError.noProjectCohort }
        let values = try req.formValues()
        let offered = try await ProjectProposal.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).all().map { $0.id!.uuidString.lowercased() }
        do {
            let draft = try PreferenceDraft.parse(values.mapValues { $0.lowercased() }, projects: Set(offered))
            try await ProjectService(database: req.db, actor: req.actor, now: req.now).savePreferences(draft, of: user.id, in: ref)
        } catch let failure as ValidationFailure {
            return try await render(req, form: FormState(values: values, failure: failure, req.localizer), problem: ProjectForm.summary(failure, req.localizer),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: "/projects", notice: "notice.preferences_saved")
    }

    /// A trainee's free-topic proposal for their cohort, or a company contact's corporate one for
    /// a cohort they work with; both wait for staff.
    @Sendable static func propose(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let values = try req.formValues()
        let t = req.localizer
        do {
            var reader = FieldReader(values)
            var target: (DirectoryLookup.CohortRef, ProjectKind, Company?)?
            if let raw = reader.raw("company") {
                let contact = try await contactCohorts(user, on: req.db)
                guard !contact.isEmpty else { throw ProjectsError.noCompany }
                let cohort = reader.raw("cohort").flatMap { id in contact.first { $0.0.id.uuidString.lowercased() == id.lowercased() } }
                let company = cohort?.1.first { $0.id!.uuidString.lowercased() == raw.lowercased() }
                if cohort == nil { reader.add(FieldIssue("cohort", .unknownChoice)) }
                if cohort != nil, company == nil { reader.add(FieldIssue("company", .unknownChoice)) }
                if let cohort, let company { target = (cohort.0, .corporate, company) }
            } else {
                guard let ref = try await traineeCohort(user, on: req.db) else { throw ProjectsError.noProjectCohort }
                target = (ref, .freeTopic, nil)
            }
            let draft = try ProjectForm.draft(values, also: reader.issues)
            _ = try await ProjectService(database: req.db, actor: req.actor, now: req.now)
                .propose(draft, kind: target!.1, company: target!.2, by: user.id, approved: false, in: target!.0)
        } catch let failure as ValidationFailure {
            return try await render(req, form: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        }
        return req.redirect(to: "/projects", notice: "notice.project_proposed")
    }
}
