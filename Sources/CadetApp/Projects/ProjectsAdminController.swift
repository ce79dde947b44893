import CadetCore
import Fluent
import Vapor

/// A cohort's team projects for staff: proposals to approve, projects of their own, the
/// matching, manual moves, mentors, and the teams as CSV. Instructors, TAs and mentors may look.
enum ProjectsAdminController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "projects")
        c.get(use: show)
        c.get("teams.csv", use: csv)
        c.post(use: create)
        c.post("match", use: match)
        c.post("move", use: move)
        c.post(":project", "decision", use: decide)
        c.post(":project", "mentors", use: addMentor)
        c.post(":project", "mentors", ":mentor", "remove", use: removeMentor)
    }

    struct Choice: Encodable { let value: String; let label: String }
    struct Proposal: Encodable { let id: String; let title: String; let kind: String; let company: String?; let problem: String; let size: String }
    struct Mentor: Encodable { let name: String; let kind: String; let remove: String }
    struct Team: Encodable {
        let id: String; let title: String; let kind: String; let company: String?; let size: String
        let members: [String]?; let mentors: [Mentor]?; let underfilled: Bool; let handedIn: String
    }

    struct Page: Encodable {
        let page: PageChrome
        let cohortBase: String
        let base: String
        let canManage: Bool
        let waiting: [Proposal]?
        let teams: [Team]?
        let unplaced: [String]?
        let summary: [String]
        let kinds: [Choice]
        let companies: [Choice]
        let projects: [Choice]
        let people: [Choice]
        let mentorKinds: [Choice]
        let milestones: [String]?
        let form: FormState
        let problem: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await TrainingLookup.cohort(req, .viewProjects))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, form: FormState = .empty, problem: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let loaded = try await ProjectTeams.load(ref, on: req.db)
        let waiting = try await ProjectProposal.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$status == .proposed).with(\.$company).sort(\.$createdAt).all()
        let base = ProjectLookup.base(ref)
        let canManage = try req.requireUser().policy.allows(.manageProjects, in: ref.scope)
        let companies = try await Company.query(on: req.db).filter(\.$programme.$id == ref.programme.requireID()).sort(\.$name).all()
        let milestones = try await ProjectMilestone.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$dueOn).all()
        let handedIn = Dictionary(grouping: try await MilestoneDeliverable.query(on: req.db).filter(\.$milestone.$id ~~ milestones.compactMap(\.id)).all(), by: \.$proposal.id)
            .mapValues(\.count)
        let summary = [
            t("projects.summary_teams", ["count": String(loaded.teams.count)]),
            t("projects.summary_ranked", ["count": String(loaded.ranked), "of": String(loaded.trainees)]),
            t("projects.summary_placed", ["count": String(loaded.placed), "first": String(loaded.count(choice: 1...1)), "top": String(loaded.count(choice: 1...3))]),
        ]
        return try await req.render("projects/projects_admin", Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("projects.title"))"), cohortBase: TrainingLookup.base(ref), base: base, canManage: canManage,
            waiting: waiting.map { Proposal(id: $0.id!.uuidString.lowercased(), title: $0.title, kind: t("project_kind.\($0.kind.rawValue)"), company: $0.company?.name,
                                            problem: $0.problem, size: "\($0.teamMin)–\($0.teamMax)") }.nilIfEmpty,
            teams: loaded.teams.map { team in
                let id = team.project.id!.uuidString.lowercased()
                return Team(id: id, title: team.project.title, kind: t("project_kind.\(team.project.kind.rawValue)"), company: team.project.company?.name,
                            size: "\(team.members.count) / \(team.project.teamMin)–\(team.project.teamMax)",
                            members: team.members.map { m in m.choice.map { "\(m.user.name) (\(t("projects.choice_n", ["n": String($0)])))" } ?? m.user.name }.nilIfEmpty,
                            mentors: team.mentors.map { Mentor(name: $0.1.name, kind: t("mentor_kind.\($0.0.kind.rawValue)"), remove: "\(base)/\(id)/mentors/\($0.0.id!.uuidString.lowercased())/remove") }.nilIfEmpty,
                            underfilled: team.underfilled, handedIn: "\(handedIn[team.project.id!] ?? 0) / \(milestones.count)")
            }.nilIfEmpty,
            unplaced: loaded.unplaced.map { "\($0.name) <\($0.email)>" }.nilIfEmpty,
            summary: summary,
            kinds: ProjectKind.allCases.map { Choice(value: $0.rawValue, label: t("project_kind.\($0.rawValue)")) },
            companies: companies.map { Choice(value: $0.id!.uuidString.lowercased(), label: $0.name) },
            projects: loaded.teams.map { Choice(value: $0.project.id!.uuidString.lowercased(), label: $0.project.title) },
            people: canManage ? try await ProjectLookup.mentors(for: ref, on: req.db).map { Choice(value: $0.0.id!.uuidString.lowercased(), label: "\($0.0.name) · \(t("role.\($0.1.rawValue)"))") } : [],
            mentorKinds: ProjectMentor.Kind.allCases.map { Choice(value: $0.rawValue, label: t("mentor_kind.\($0.rawValue)")) },
            milestones: milestones.map { "\($0.dueOn) · \($0.title)" }.nilIfEmpty,
            form: form.values.isEmpty ? FormState(values: ["team_min": "4", "team_max": "6", "kind": "common"], errors: form.errors, formError: form.formError) : form,
            problem: problem), status: status)
    }

    /// A project staff set themselves: approved at once.
    @Sendable static func create(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let values = try req.formValues()
        let t = req.localizer
        do {
            var reader = FieldReader(values)
            let kind = reader.choice("kind", as: ProjectKind.self)
            var company: Company?
            if kind == .corporate {
                if let raw = reader.raw("company"), let id = UUID(uuidString: raw) {
                    company = try await Company.query(on: req.db).filter(\.$id == id).filter(\.$programme.$id == ref.programme.requireID()).first()
                }
                if company == nil { reader.add(FieldIssue("company", .required)) }
            }
            let draft = try ProjectForm.draft(values, also: reader.issues)
            _ = try await ProjectService(database: req.db, actor: req.actor, now: req.now)
                .propose(draft, kind: kind!, company: company, by: try req.requireUser().id, approved: true, in: ref)
            return req.redirect(to: ProjectLookup.base(ref), notice: "notice.project_added")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, form: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        }
    }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let proposal = try await ProjectLookup.proposal(req, in: ref)
        let decision = try req.formValues()["decision"]
        guard decision == "approve" || decision == "decline" else { throw PlatformError.badRequest("decision must be approve or decline") }
        return try await attempt(req, ref, notice: "notice.saved") {
            try await ProjectService(database: req.db, actor: req.actor, now: req.now).decide(proposal, approve: decision == "approve", in: ref)
        }
    }

    @Sendable static func match(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        return try await attempt(req, ref, notice: "notice.projects_matched") {
            _ = try await ProjectService(database: req.db, actor: req.actor, now: req.now).match(in: ref)
        }
    }

    @Sendable static func move(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let values = try req.formValues()
        var reader = FieldReader(values)
        let email = reader.raw("email").map(EmailAddress.normalise)
        if email == nil { reader.add(FieldIssue("email", .required)) }
        let project = reader.raw("project").flatMap(UUID.init(uuidString:))
        if project == nil { reader.add(FieldIssue("project", .required)) }
        do { try reader.check() } catch { return try await render(req, ref, problem: ProjectForm.summary(error, req.localizer), status: .unprocessableEntity) }
        guard let trainee = try await User.query(on: req.db).filter(\.$email == email!).first() else {
            return try await render(req, ref, problem: req.localizer(ProjectsError.notATrainee.messageKey), status: .unprocessableEntity)
        }
        return try await attempt(req, ref, notice: "notice.project_member_moved") {
            try await ProjectService(database: req.db, actor: req.actor, now: req.now).move(trainee, to: try await ProjectLookup.proposal(project!, in: ref, on: req.db), in: ref)
        }
    }

    @Sendable static func addMentor(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let proposal = try await ProjectLookup.proposal(req, in: ref)
        let values = try req.formValues()
        var reader = FieldReader(values)
        let kind = reader.choice("kind", as: ProjectMentor.Kind.self)
        let person = reader.raw("person").flatMap(UUID.init(uuidString:))
        if person == nil { reader.add(FieldIssue("person", .required)) }
        do { try reader.check() } catch { return try await render(req, ref, problem: ProjectForm.summary(error, req.localizer), status: .unprocessableEntity) }
        guard let user = try await User.find(person!, on: req.db) else {
            return try await render(req, ref, problem: req.localizer(ProjectsError.notAMentor.messageKey), status: .unprocessableEntity)
        }
        return try await attempt(req, ref, notice: "notice.mentor_added") {
            try await ProjectService(database: req.db, actor: req.actor, now: req.now).assignMentor(user, kind: kind!, to: proposal, in: ref)
        }
    }

    @Sendable static func removeMentor(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let proposal = try await ProjectLookup.proposal(req, in: ref)
        guard let id = req.parameters.get("mentor", as: UUID.self),
              let mentor = try await ProjectMentor.query(on: req.db).filter(\.$id == id).filter(\.$proposal.$id == proposal.requireID()).first() else {
            throw ProjectsError.proposalNotFound
        }
        try await ProjectService(database: req.db, actor: req.actor, now: req.now).removeMentor(mentor, from: proposal, in: ref)
        return req.redirect(to: ProjectLookup.base(ref), notice: "notice.saved")
    }

    /// The teams for the academy's records and the showcase programme.
    @Sendable static func csv(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewProjects)
        let loaded = try await ProjectTeams.load(ref, on: req.db)
        var rows: [[String]] = []
        for team in loaded.teams {
            let mentors = team.mentors.map(\.1.name).joined(separator: "; ")
            for m in team.members {
                rows.append([team.project.title, team.project.kind.rawValue, team.project.company?.name ?? "", m.user.name, m.user.email, m.choice.map(String.init) ?? "", mentors])
            }
        }
        for user in loaded.unplaced { rows.append(["", "", "", user.name, user.email, "", ""]) }
        return FileResponse.csv(header: ["project", "kind", "company", "name", "email", "choice", "mentors"], rows: rows,
                                filename: "\(ref.programme.slug)-\(ref.cohort.slug)-teams.csv")
    }

    /// Runs a change and goes back to the page; a refusal is shown on it, in the reader's language.
    static func attempt(_ req: Request, _ ref: DirectoryLookup.CohortRef, notice: String, _ change: () async throws -> Void) async throws -> Response {
        do {
            try await change()
        } catch let error as ProjectsError {
            return try await render(req, ref, problem: req.localizer(error.messageKey, error.messageArguments), status: error.status)
        }
        return req.redirect(to: ProjectLookup.base(ref), notice: notice)
    }
}

/// What the project forms share.
enum ProjectForm {
    /// The project's own fields, refused together with `issues` found in the fields around them.
    static func draft(_ values: [String: String], also issues: [FieldIssue]) throws(ValidationFailure) -> ProjectDraft {
        let draft: ProjectDraft
        do { draft = try ProjectDraft.parse(values) } catch { throw ValidationFailure(issues + error.issues) }
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return draft
    }

    /// Every problem of a small form in one line, for the alert above it.
    static func summary(_ failure: ValidationFailure, _ t: Localizer) -> String {
        failure.issues.map { FieldMessages.message(for: $0, t) }.joined(separator: " · ")
    }
}
