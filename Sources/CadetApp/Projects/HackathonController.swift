import CadetCore
import Fluent
import Vapor

/// A trainee's hackathons: the brief, the live public board, the team's uploads and its final
/// choices, and the private board once revealed. Only the team's own members see any of it.
enum HackathonController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("hackathons", use: mine)
        routes.get("hackathons", ":hackathon", use: show)
        routes.get("hackathons", ":hackathon", "board", use: board)
        routes.get("hackathons", ":hackathon", "sample.csv", use: sample)
        routes.get("hackathons", ":hackathon", "program-input", use: programInput)
        routes.on(.POST, "hackathons", ":hackathon", "submissions", body: .collect(maxSize: "24mb"), use: submit)
        routes.post("hackathons", ":hackathon", "finals", use: choose)
    }

    struct Item: Encodable { let title: String; let href: String; let team: String; let deadline: String }

    struct MinePage: Encodable {
        let page: PageChrome
        let items: [Item]?
    }

    @Sendable static func mine(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let memberships = try await HackathonMember.query(on: req.db).filter(\.$user.$id == user.id).with(\.$hackathon).with(\.$team).all()
        return try await req.render("projects/mine", MinePage(page: PageChrome(req, title: t("hackathons.title")), items: memberships
            .sorted { $0.hackathon.deadline > $1.hackathon.deadline }
            .map { Item(title: $0.hackathon.title, href: "/hackathons/\($0.hackathon.id!.uuidString.lowercased())", team: $0.team.name, deadline: t.dateTime($0.hackathon.deadline)) }
            .nilIfEmpty))
    }

    struct Submission: Encodable {
        let id: String
        let at: String
        let filename: String
        let scored: Bool
        let publicScore: String
        let privateScore: String?
        let chosen: Bool
        let final: Bool
        /// The code check's state, in words, where the hackathon wants code.
        let code: String?
    }

    struct ShowPage: Encodable {
        var page: PageChrome
        let base: String
        let team: String
        let facts: HackathonFacts
        let header: String
        let left: Int
        let submissions: [Submission]?
        let publicBoard: [HackathonBoards.Row]?
        let privateBoard: [HackathonBoards.Row]?
        let uploadError: String?
        let finalsError: String?
        let wantsCode: Bool
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req)
    }

    static func render(_ req: Request, uploadError: String? = nil, finalsError: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let (hackathon, team) = try await HackathonLookup.member(req)
        let t = req.localizer
        let revealed = hackathon.revealedAt != nil
        let mine = try await HackathonSubmission.summaries(on: req.db).filter(\.$team.$id == team.requireID()).sort(\.$submittedAt, .descending).all()
        let finals = Leaderboard.finals(mine.filter { $0.status == .scored }.map(\.entry), metric: hackathon.metric, finals: hackathon.finals)
        let dayStart = HackathonService.dayStart(req.now, in: req.application.config.timeZone)
        let today = mine.filter { $0.submittedAt >= dayStart }.count
        let boards = try await HackathonBoards.load(hackathon, mine: team.id, on: req.db)
        let checks = try await HackathonCode.states(of: mine, on: req.db)
        var page = ShowPage(
            page: PageChrome(req, title: hackathon.title), base: "/hackathons/\(hackathon.id!.uuidString.lowercased())", team: team.name,
            facts: HackathonFacts(hackathon, now: req.now, t), header: (try hackathon.key).header.joined(separator: ","),
            left: max(0, hackathon.dailyCap - today),
            submissions: mine.map { s in
                Submission(id: s.id!.uuidString.lowercased(), at: t.dateTime(s.submittedAt), filename: s.filename, scored: s.status == .scored,
                           publicScore: s.status == .scored ? HackathonBoards.score(s.publicScore) : t("hackathon.scoring"),
                           privateScore: revealed ? HackathonBoards.score(s.privateScore) : nil, chosen: s.chosen, final: finals.contains(s.id!),
                           code: checks[s.id!].map { t("code_check.\($0)") })
            }.nilIfEmpty,
            publicBoard: boards.public.nilIfEmpty, privateBoard: revealed ? boards.private.nilIfEmpty : nil, uploadError: uploadError, finalsError: finalsError,
            wantsCode: hackathon.programInput != nil)
        page.page.script = "leaderboard.js"
        return try await req.render("projects/hackathon", page, status: status)
    }

    /// The public board as JSON, for the page to refresh itself while teams submit.
    @Sendable static func board(_ req: Request) async throws -> Response {
        let (hackathon, team) = try await HackathonLookup.member(req)
        let boards = try await HackathonBoards.load(hackathon, mine: team.id, on: req.db)
        let response = try APIJSON.response(boards.public)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// A file in the expected shape: the key's header and every test id, each with a neutral
    /// value (0.5, 0 or the first label) to replace.
    @Sendable static func sample(_ req: Request) async throws -> Response {
        let (hackathon, _) = try await HackathonLookup.member(req)
        let key = try hackathon.key
        let filler = switch hackathon.metric.predictionKind {
        case .probability: "0.5"
        case .number: "0"
        case .label: key.labels.first ?? ""
        }
        let body = ([key.header.joined(separator: ",")] + key.ids.map { "\($0),\(filler)" }).joined(separator: "\r\n") + "\r\n"
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "sample_submission.csv")
        return response
    }

    /// What every program reads on standard input, for a hackathon that wants code.
    @Sendable static func programInput(_ req: Request) async throws -> Response {
        let (hackathon, _) = try await HackathonLookup.member(req)
        guard let input = hackathon.programInput else { throw ProjectsError.hackathonNotFound }
        let response = Response(status: .ok, body: .init(string: input))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "program_input.txt")
        return response
    }

    @Sendable static func submit(_ req: Request) async throws -> Response {
        let (hackathon, team) = try await HackathonLookup.member(req)
        let t = req.localizer
        guard let file = req.uploadedFile("predictions") else {
            return try await render(req, uploadError: FieldMessages.message(for: FieldIssue("predictions", .required), t), status: .unprocessableEntity)
        }
        do {
            _ = try await HackathonService(database: req.db, actor: req.actor, now: req.now, zone: req.application.config.timeZone)
                .submit(Array(file.data.readableBytesView), filename: file.filename, code: req.uploadedFile("code").map { Array($0.data.readableBytesView) },
                        team: team, by: try req.requireUser().id, to: hackathon)
        } catch let failure as LeaderboardFileFailure {
            return try await render(req, uploadError: LeaderboardMessages.text(failure, t), status: .unprocessableEntity)
        } catch let error as ProjectsError {
            return try await render(req, uploadError: t(error.messageKey, error.messageArguments), status: error.status)
        }
        return req.redirect(to: "/hackathons/\(hackathon.id!.uuidString.lowercased())", notice: "notice.predictions_received")
    }

    @Sendable static func choose(_ req: Request) async throws -> Response {
        let (hackathon, team) = try await HackathonLookup.member(req)
        let values = try req.formMultiValues()
        let chosen = Set((values["final"] ?? "").split(separator: "\n").compactMap { UUID(uuidString: String($0)) })
        do {
            try await HackathonService(database: req.db, actor: req.actor, now: req.now).choose(chosen, team: team, in: hackathon)
        } catch let error as ProjectsError {
            return try await render(req, finalsError: req.localizer(error.messageKey, error.messageArguments), status: error.status)
        }
        return req.redirect(to: "/hackathons/\(hackathon.id!.uuidString.lowercased())", notice: "notice.saved")
    }
}
