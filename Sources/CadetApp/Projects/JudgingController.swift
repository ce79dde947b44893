import CadetCore
import Fluent
import Vapor

/// A judge's showcase: a rubric form for each team they may judge (teams they are recused from
/// are named, with the reason, and closed to them), and, where the showcase asks for it, two
/// teams at a time to compare. Only appointed judges get here.
enum JudgingController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("judging", use: show)
        routes.post("judging", ":showcase", "marks", ":project", use: mark)
        routes.post("judging", ":showcase", "votes", use: vote)
    }

    struct Criterion: Encodable { let field: String; let label: String; let weight: Int; let mark: String }
    struct Team: Encodable { let id: String; let title: String; let company: String?; let recused: String?; let criteria: [Criterion]; let marked: Bool }
    struct Side: Encodable { let id: String; let title: String; let problem: String }
    struct Pair: Encodable { let left: Side; let right: Side }

    struct Page: Encodable {
        let page: PageChrome
        let showcase: String
        let base: String
        let heldOn: String
        let teams: [Team]
        let pairwise: Bool
        let pair: Pair?
        let problem: String?
    }

    /// The newest showcase this person judges, with its cohort.
    static func assignment(_ req: Request) async throws -> (Showcase, DirectoryLookup.CohortRef, User) {
        let current = try req.requireUser()
        guard let user = try await User.find(current.id, on: req.db) else { throw ProjectsError.notJudging }
        var query = ShowcaseJudge.query(on: req.db).filter(\.$user.$id == current.id).with(\.$showcase) { $0.with(\.$cohort) { $0.with(\.$programme) } }
        if let id = req.parameters.get("showcase", as: UUID.self) { query = query.filter(\.$showcase.$id == id) }
        guard let judge = try await query.all().max(by: { $0.showcase.heldOn < $1.showcase.heldOn }) else { throw ProjectsError.notJudging }
        let cohort = judge.showcase.cohort
        return (judge.showcase, DirectoryLookup.CohortRef(programme: cohort.programme, cohort: cohort, id: try cohort.requireID()), user)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req)
    }

    static func render(_ req: Request, problem: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let (showcase, ref, judge) = try await assignment(req)
        let t = req.localizer
        let service = ShowcaseService(database: req.db, actor: req.actor, now: req.now)
        let mine = Dictionary(try await RubricScore.query(on: req.db).filter(\.$showcase.$id == showcase.requireID()).filter(\.$judgeID == judge.requireID()).all()
            .map { ($0.$proposal.id, $0.marks) }, uniquingKeysWith: { a, _ in a })
        let rubric = showcase.rubric
        let base = "/judging/\(showcase.id!.uuidString.lowercased())"
        let pair = showcase.pairwise ? try await service.nextPair(for: judge, in: showcase, ref: ref) : nil
        return try await req.render("projects/judging", Page(
            page: PageChrome(req, title: showcase.title), showcase: showcase.title, base: base, heldOn: showcase.heldOn,
            teams: try await service.teams(for: judge, in: ref).map { p, recusal in
                let marks = mine[p.id!]
                return Team(id: p.id!.uuidString.lowercased(), title: p.title, company: p.company?.name, recused: recusal.map { t("recusal.\($0.rawValue)") },
                            criteria: rubric.criteria.enumerated().map { i, c in
                                Criterion(field: "mark_\(i + 1)", label: c.label, weight: c.weight, mark: marks.map { $0.count > i ? String($0[i]) : "" } ?? "")
                            }, marked: marks != nil)
            },
            pairwise: showcase.pairwise,
            pair: pair.map { Pair(left: side($0.0), right: side($0.1)) },
            problem: problem), status: status)
    }

    static func side(_ p: ProjectProposal) -> Side { Side(id: p.id!.uuidString.lowercased(), title: p.title, problem: p.problem) }

    @Sendable static func mark(_ req: Request) async throws -> Response {
        let (showcase, ref, judge) = try await assignment(req)
        let project = try await ProjectLookup.proposal(req, in: ref)
        do {
            let marks = try showcase.rubric.parseMarks(try req.formValues())
            try await ShowcaseService(database: req.db, actor: req.actor, now: req.now).mark(project, marks: marks, by: judge, in: showcase, ref: ref)
        } catch let failure as ValidationFailure {
            return try await render(req, problem: "\(project.title): " + ProjectForm.summary(failure, req.localizer), status: .unprocessableEntity)
        } catch let error as ProjectsError {
            return try await render(req, problem: req.localizer(error.messageKey, error.messageArguments), status: error.status)
        }
        return req.redirect(to: "/judging", notice: "notice.marks_saved")
    }

    @Sendable static func vote(_ req: Request) async throws -> Response {
        let (showcase, ref, judge) = try await assignment(req)
        let values = try req.formValues()
        guard let winner = values["winner"].flatMap(UUID.init(uuidString:)), let loser = values["loser"].flatMap(UUID.init(uuidString:)) else {
            return try await render(req, problem: req.localizer(ProjectsError.stalePair.messageKey), status: .unprocessableEntity)
        }
        do {
            try await ShowcaseService(database: req.db, actor: req.actor, now: req.now).vote(winner: winner, loser: loser, by: judge, in: showcase, ref: ref)
        } catch let error as ProjectsError {
            return try await render(req, problem: req.localizer(error.messageKey, error.messageArguments), status: error.status)
        }
        return req.redirect(to: "/judging", notice: "notice.vote_saved")
    }
}

/// The showcase's public page, once staff publish it: the teams, their projects and companies,
/// their members' names and the awards. No sign-in; nothing else about anyone.
enum ShowcasePublicController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("showcase", ":programme", ":cohort", use: show)
    }

    struct Team: Encodable { let title: String; let kind: String; let company: String?; let problem: String; let members: String; let awards: String? }
    struct Page: Encodable { let page: PageChrome; let title: String; let heldOn: String; let place: String; let teams: [Team] }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        guard let showcase = try await Showcase.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$published == true).first() else {
            throw ProjectsError.showcaseNotFound
        }
        let t = req.localizer
        let teams = try await ProjectTeams.load(ref, on: req.db)
        let awards = Dictionary(grouping: try await ShowcaseAward.query(on: req.db).filter(\.$showcase.$id == showcase.requireID()).all(), by: \.$proposal.id)
        let ordered = teams.teams.sorted { (awards[$0.project.id!] == nil ? 1 : 0, $0.project.title) < (awards[$1.project.id!] == nil ? 1 : 0, $1.project.title) }
        func awarded(_ team: ProjectTeams.Team) -> String? {
            let titles = (awards[team.project.id!] ?? []).map(\.title).joined(separator: ", ")
            return titles.isEmpty ? nil : titles
        }
        return try await req.render("projects/showcase", Page(
            page: PageChrome(req, title: showcase.title), title: showcase.title, heldOn: showcase.heldOn, place: showcase.place,
            teams: ordered.map { team in
                Team(title: team.project.title, kind: t("project_kind.\(team.project.kind.rawValue)"), company: team.project.company?.name, problem: team.project.problem,
                     members: team.members.map(\.user.name).joined(separator: ", "), awards: awarded(team))
            }), status: .ok)
    }
}
