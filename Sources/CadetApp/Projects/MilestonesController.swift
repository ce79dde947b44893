import CadetCore
import Fluent
import Vapor

/// Milestones: staff set them; a team's page shows each one's deliverable and feedback to staff
/// and those who teach and mentor; the team's own mentors and staff write feedback; the team's
/// members hand in from their Projects page. Files are seen only by them.
enum MilestonesController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "projects")
        c.post("milestones", use: add)
        c.get(":project", use: team)
        c.post(":project", "milestones", ":milestone", "feedback", use: feedback)
        c.get(":project", "milestones", ":milestone", "file", use: staffFile)
        routes.on(.POST, "projects", "milestones", ":milestone", body: .collect(maxSize: "12mb"), use: submit)
        routes.get("projects", "milestones", ":milestone", "file", use: memberFile)
    }

    struct Feedback: Encodable { let author: String; let at: String; let text: String }
    struct Milestone: Encodable {
        let id: String; let title: String; let dueOn: String; let description: String
        let submitted: String?; let late: Bool; let link: String?; let note: String?; let file: String?; let fileURL: String?
        let feedback: [Feedback]?
    }

    /// Milestones as the team and staff pages show them; `files` is where a file is fetched from.
    static func rows(_ progress: [MilestoneService.Progress], files: (ProjectMilestone) -> String, _ t: Localizer) -> [Milestone] {
        progress.map { p in
            Milestone(id: p.milestone.id!.uuidString.lowercased(), title: p.milestone.title, dueOn: p.milestone.dueOn, description: p.milestone.description,
                      submitted: p.deliverable.map { t.dateTime($0.submittedAt) }, late: p.late(in: t.timeZone), link: p.deliverable?.link,
                      note: p.deliverable.flatMap { $0.note.isEmpty ? nil : $0.note }, file: p.deliverable?.fileName,
                      fileURL: p.deliverable?.fileName == nil ? nil : files(p.milestone),
                      feedback: p.feedback.map { Feedback(author: $0.author.name, at: t.dateTime($0.writtenAt), text: $0.text) }.nilIfEmpty)
        }
    }

    @Sendable static func add(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageProjects)
        let values = try req.formValues()
        do {
            _ = try await MilestoneService(database: req.db, actor: req.actor, now: req.now).add(try MilestoneDraft.parse(values), in: ref)
        } catch let failure as ValidationFailure {
            return try await ProjectsAdminController.render(req, ref, problem: ProjectForm.summary(failure, req.localizer), status: .unprocessableEntity)
        }
        return req.redirect(to: ProjectLookup.base(ref), notice: "notice.milestone_added")
    }

    struct TeamPage: Encodable {
        let page: PageChrome
        let listBase: String
        let kind: String
        let company: String?
        let problem: String
        let members: [String]
        let mentors: [String]?
        let milestones: [Milestone]?
        let canWrite: Bool
        let base: String
        let problemText: String?
    }

    @Sendable static func team(_ req: Request) async throws -> Response {
        try await renderTeam(req)
    }

    /// Staff write feedback on any team; a mentor or instructor only on the teams they guide.
    static func mayWrite(_ req: Request, _ team: ProjectProposal, in ref: DirectoryLookup.CohortRef) async throws -> Bool {
        let user = try req.requireUser()
        if user.policy.allows(.manageProjects, in: ref.scope) { return true }
        return try await ProjectMentor.query(on: req.db).filter(\.$proposal.$id == team.requireID()).filter(\.$user.$id == user.id).first() != nil
    }

    static func renderTeam(_ req: Request, problem: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewProjects)
        let proposal = try await ProjectLookup.proposal(req, in: ref)
        let t = req.localizer
        let loaded = try await ProjectTeams.load(ref, on: req.db)
        guard let team = loaded.teams.first(where: { $0.project.id == proposal.id }) else { throw ProjectsError.proposalNotApproved }
        let base = "\(ProjectLookup.base(ref))/\(proposal.id!.uuidString.lowercased())"
        let progress = try await MilestoneService.progress(of: proposal, in: ref, on: req.db)
        return try await req.render("projects/team", TeamPage(
            page: PageChrome(req, title: proposal.title), listBase: ProjectLookup.base(ref), kind: t("project_kind.\(proposal.kind.rawValue)"), company: proposal.company?.name,
            problem: proposal.problem, members: team.members.map { "\($0.user.name) <\($0.user.email)>" },
            mentors: team.mentors.map { "\($0.1.name) · \(t("mentor_kind.\($0.0.kind.rawValue)"))" }.nilIfEmpty,
            milestones: rows(progress, files: { "\(base)/milestones/\($0.id!.uuidString.lowercased())/file" }, t).nilIfEmpty,
            canWrite: try await mayWrite(req, proposal, in: ref), base: base, problemText: problem), status: status)
    }

    static func milestone(_ req: Request, in ref: DirectoryLookup.CohortRef) async throws -> ProjectMilestone {
        guard let id = req.parameters.get("milestone", as: UUID.self),
              let milestone = try await ProjectMilestone.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else {
            throw ProjectsError.milestoneNotFound
        }
        return milestone
    }

    @Sendable static func feedback(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewProjects)
        let team = try await ProjectLookup.proposal(req, in: ref)
        let milestone = try await milestone(req, in: ref)
        guard try await mayWrite(req, team, in: ref) else { throw ProjectsError.notTheirTeam }
        var reader = FieldReader(try req.formValues())
        let text = reader.text("text", minLength: 2, maxLength: 4000)
        do { try reader.check() } catch { return try await renderTeam(req, problem: ProjectForm.summary(error, req.localizer), status: .unprocessableEntity) }
        try await MilestoneService(database: req.db, actor: req.actor, now: req.now).feedback(text!, on: milestone, team: team, by: try req.requireUser().id, in: ref)
        return req.redirect(to: "\(ProjectLookup.base(ref))/\(team.id!.uuidString.lowercased())", notice: "notice.feedback_saved")
    }

    @Sendable static func staffFile(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewProjects)
        let team = try await ProjectLookup.proposal(req, in: ref)
        return try await file(req, milestone: try await milestone(req, in: ref), team: team)
    }

    static func file(_ req: Request, milestone: ProjectMilestone, team: ProjectProposal) async throws -> Response {
        guard let deliverable = try await MilestoneDeliverable.query(on: req.db).filter(\.$milestone.$id == milestone.requireID()).filter(\.$proposal.$id == team.requireID()).first(),
              let storage = deliverable.fileStorage, let name = deliverable.fileName, let type = deliverable.fileType,
              let response = DocumentStore(req.application).response(storageName: storage, filename: name, contentType: type) else {
            throw ProjectsError.milestoneNotFound
        }
        return response
    }

    /// The signed-in trainee's team and the milestone in the URL, in their cohort.
    static func memberTeam(_ req: Request) async throws -> (DirectoryLookup.CohortRef, ProjectProposal, ProjectMilestone) {
        let user = try req.requireUser()
        guard let ref = try await ProjectsController.traineeCohort(user, on: req.db),
              let member = try await ProjectMember.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == user.id).with(\.$proposal).first() else {
            throw ProjectsError.noProjectTeam
        }
        return (ref, member.proposal, try await milestone(req, in: ref))
    }

    @Sendable static func memberFile(_ req: Request) async throws -> Response {
        let (_, team, milestone) = try await memberTeam(req)
        return try await file(req, milestone: milestone, team: team)
    }

    struct Fields: Decodable { let link: String?; let note: String? }

    @Sendable static func submit(_ req: Request) async throws -> Response {
        let (ref, team, milestone) = try await memberTeam(req)
        let fields = try? req.content.decode(Fields.self)
        let values = ["link": fields?.link, "note": fields?.note].compactMapValues { $0 }
        let upload = req.uploadedFile("file")
        let store = DocumentStore(req.application)
        var stored: DocumentStore.Stored?
        do {
            let draft = try DeliverableDraft.parse(values, hasFile: upload != nil)
            if let upload { stored = try store.store(Data(upload.data.readableBytesView), filename: upload.filename) }
            let replaced = try await MilestoneService(database: req.db, actor: req.actor, now: req.now)
                .submit(draft, file: stored, for: milestone, team: team, by: try req.requireUser().id, in: ref)
            if let replaced { store.remove(replaced) }
        } catch let failure as ValidationFailure {
            return try await ProjectsController.render(req, problem: "\(milestone.title): " + ProjectForm.summary(failure, req.localizer), status: .unprocessableEntity)
        } catch let rejected as DocumentStore.Rejected {
            return try await ProjectsController.render(req, problem: "\(milestone.title): " + req.localizer("upload.\(rejected.reason)"), status: .unprocessableEntity)
        } catch {
            if let stored { store.remove(stored.storageName) }
            throw error
        }
        return req.redirect(to: "/projects", notice: "notice.deliverable_submitted")
    }
}
