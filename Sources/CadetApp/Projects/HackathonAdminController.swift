import CadetCore
import Fluent
import Vapor

/// A cohort's hackathons for staff: create one with its hidden key, form teams, watch both
/// boards, reveal the private one after the deadline. Instructors, TAs and mentors may watch.
enum HackathonAdminController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "hackathons")
        c.get(use: list)
        c.on(.POST, body: .collect(maxSize: "12mb"), use: create)
        c.get(":hackathon", use: show)
        c.post(":hackathon", "teams", use: addTeam)
        c.post(":hackathon", "close", use: close)
        c.post(":hackathon", "reveal", use: reveal)
    }

    struct Item: Encodable { let title: String; let href: String; let metric: String; let deadline: String; let teams: Int; let revealed: Bool }
    struct Choice: Encodable { let value: String; let label: String }

    struct ListPage: Encodable {
        let page: PageChrome
        let cohortBase: String
        let base: String
        let items: [Item]?
        let canManage: Bool
        let metrics: [Choice]
        let form: FormState
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await renderList(req, try await TrainingLookup.cohort(req, .viewHackathons), form: .empty)
    }

    static func renderList(_ req: Request, _ ref: DirectoryLookup.CohortRef, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let hackathons = try await Hackathon.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$deadline, .descending).all()
        var items: [Item] = []
        for h in hackathons {
            items.append(Item(title: h.title, href: "\(HackathonLookup.base(ref))/\(h.id!.uuidString.lowercased())", metric: t("metric.\(h.metric.rawValue)"),
                              deadline: t.dateTime(h.deadline), teams: try await HackathonTeam.query(on: req.db).filter(\.$hackathon.$id == h.id!).count(),
                              revealed: h.revealedAt != nil))
        }
        return try await req.render("projects/hackathons", ListPage(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("hackathons.title"))"), cohortBase: TrainingLookup.base(ref), base: HackathonLookup.base(ref),
            items: items.nilIfEmpty, canManage: try req.requireUser().policy.allows(.manageHackathons, in: ref.scope),
            metrics: LeaderboardMetric.allCases.map { Choice(value: $0.rawValue, label: t("metric.\($0.rawValue)")) },
            form: form.values.isEmpty ? FormState(values: ["public_percent": "30", "daily_cap": "5", "finals": "2"], errors: form.errors, formError: form.formError) : form),
            status: status)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageHackathons)
        struct Fields: Decodable { let title, brief, metric, public_percent, daily_cap, finals, deadline: String? }
        let fields = try? req.content.decode(Fields.self)
        let values = ["title": fields?.title, "brief": fields?.brief, "metric": fields?.metric, "public_percent": fields?.public_percent,
                      "daily_cap": fields?.daily_cap, "finals": fields?.finals, "deadline": fields?.deadline].compactMapValues { $0 }
        let t = req.localizer
        do {
            let draft = try HackathonDraft.parse(values, zone: req.application.config.timeZone)
            guard let file = req.uploadedFile("answer_key") else { throw ValidationFailure([FieldIssue("answer_key", .required)]) }
            let hackathon = try await HackathonService(database: req.db, actor: req.actor, now: req.now, zone: req.application.config.timeZone)
                .create(draft, key: Array(file.data.readableBytesView), programInput: req.uploadedFile("program_input").map { Array($0.data.readableBytesView) }, in: ref)
            return req.redirect(to: "\(HackathonLookup.base(ref))/\(hackathon.id!.uuidString.lowercased())", notice: "notice.hackathon_created")
        } catch let failure as ValidationFailure {
            return try await renderList(req, ref, form: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        } catch let failure as LeaderboardFileFailure {
            return try await renderList(req, ref, form: FormState(values: values, errors: ["answer_key": LeaderboardMessages.text(failure, t)], formError: t("error.validation")),
                                        status: .unprocessableEntity)
        } catch let error as ProjectsError {
            return try await renderList(req, ref, form: FormState(values: values, errors: ["program_input": t(error.messageKey, error.messageArguments)],
                                                                  formError: t("error.validation")), status: error.status)
        }
    }

    struct Team: Encodable { let name: String; let members: String; let submissions: Int; let reproduced: String? }

    struct ShowPage: Encodable {
        let page: PageChrome
        let listBase: String
        let base: String
        let facts: HackathonFacts
        let teams: [Team]?
        let publicBoard: [HackathonBoards.Row]?
        let privateBoard: [HackathonBoards.Row]?
        let canManage: Bool
        let canReveal: Bool
        let canClose: Bool
        let form: FormState
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (ref, hackathon) = try await HackathonLookup.staff(req, .viewHackathons)
        return try await renderShow(req, ref, hackathon, form: .empty)
    }

    static func renderShow(_ req: Request, _ ref: DirectoryLookup.CohortRef, _ hackathon: Hackathon, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let teams = try await HackathonTeam.query(on: req.db).filter(\.$hackathon.$id == hackathon.requireID()).with(\.$members) { $0.with(\.$user) }.sort(\.$name).all()
        let submissions = try await HackathonSubmission.summaries(on: req.db).filter(\.$hackathon.$id == hackathon.requireID()).all()
        let counts = Dictionary(grouping: submissions, by: \.$team.id).mapValues(\.count)
        let states = try await HackathonCode.states(of: submissions, on: req.db)
        let reproduced = Dictionary(grouping: submissions.filter { states[$0.id!] == "reproduced" }, by: \.$team.id).mapValues(\.count)
        let boards = try await HackathonBoards.load(hackathon, on: req.db)
        let base = "\(HackathonLookup.base(ref))/\(hackathon.id!.uuidString.lowercased())"
        let canManage = try req.requireUser().policy.allows(.manageHackathons, in: ref.scope)
        return try await req.render("projects/hackathon_admin", ShowPage(
            page: PageChrome(req, title: hackathon.title), listBase: HackathonLookup.base(ref), base: base, facts: HackathonFacts(hackathon, now: req.now, t),
            teams: teams.map { Team(name: $0.name, members: $0.members.map(\.user.name).sorted().joined(separator: ", "), submissions: counts[$0.id!] ?? 0,
                                    reproduced: hackathon.programInput == nil ? nil : String(reproduced[$0.id!] ?? 0)) }.nilIfEmpty,
            publicBoard: boards.public.nilIfEmpty, privateBoard: boards.private.nilIfEmpty, canManage: canManage,
            canReveal: canManage && hackathon.revealedAt == nil && req.now >= hackathon.deadline, canClose: canManage && req.now < hackathon.deadline,
            form: form), status: status)
    }

    @Sendable static func addTeam(_ req: Request) async throws -> Response {
        let (ref, hackathon) = try await HackathonLookup.staff(req, .manageHackathons)
        let values = try req.formValues()
        let t = req.localizer
        do {
            _ = try await HackathonService(database: req.db, actor: req.actor, now: req.now).addTeam(try TeamDraft.parse(values), to: hackathon, in: ref)
        } catch let failure as ValidationFailure {
            return try await renderShow(req, ref, hackathon, form: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        } catch let error as ProjectsError {
            return try await renderShow(req, ref, hackathon, form: FormState(values: values, errors: ["members": t(error.messageKey, error.messageArguments)],
                                                                           formError: t("error.validation")), status: error.status)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await renderShow(req, ref, hackathon, form: FormState(values: values, failure: ValidationFailure([FieldIssue("name", .alreadyTaken)]), t),
                                        status: .conflict)
        }
        return req.redirect(to: "\(HackathonLookup.base(ref))/\(hackathon.id!.uuidString.lowercased())", notice: "notice.saved")
    }

    @Sendable static func close(_ req: Request) async throws -> Response {
        let (ref, hackathon) = try await HackathonLookup.staff(req, .manageHackathons)
        try await HackathonService(database: req.db, actor: req.actor, now: req.now).close(hackathon, in: ref)
        return req.redirect(to: "\(HackathonLookup.base(ref))/\(hackathon.id!.uuidString.lowercased())", notice: "notice.hackathon_closed")
    }

    @Sendable static func reveal(_ req: Request) async throws -> Response {
        let (ref, hackathon) = try await HackathonLookup.staff(req, .manageHackathons)
        try await HackathonService(database: req.db, actor: req.actor, now: req.now).reveal(hackathon, in: ref)
        return req.redirect(to: "\(HackathonLookup.base(ref))/\(hackathon.id!.uuidString.lowercased())", notice: "notice.hackathon_revealed")
    }
}

/// What every hackathon page says about it.
struct HackathonFacts: Encodable {
    let title: String
    let brief: String
    let metric: String
    let direction: String
    let deadline: String
    let rows: Int
    let publicPercent: Int
    let dailyCap: Int
    let finals: Int
    let over: Bool
    let revealed: Bool

    init(_ h: Hackathon, now: Date, _ t: Localizer) {
        title = h.title
        brief = h.brief
        metric = t("metric.\(h.metric.rawValue)")
        direction = t(h.metric.higherIsBetter ? "hackathon.higher_better" : "hackathon.lower_better")
        deadline = t.dateTime(h.deadline)
        rows = h.rows
        publicPercent = h.publicPercent
        dailyCap = h.dailyCap
        finals = h.finals
        over = now >= h.deadline
        revealed = h.revealedAt != nil
    }
}

/// A refused answer key or prediction file, line by line, in the reader's language.
enum LeaderboardMessages {
    static func text(_ failure: LeaderboardFileFailure, _ t: Localizer) -> String {
        var lines = failure.issues.map { issue in
            let message = t("leaderboard.problem.\(issue.problem.rawValue)", ["value": issue.value])
            return issue.line > 0 ? t("leaderboard.line", ["line": String(issue.line), "message": message]) : message
        }
        if failure.total > failure.issues.count { lines.append(t("leaderboard.more", ["count": String(failure.total - failure.issues.count)])) }
        return lines.joined(separator: " · ")
    }
}
