import CadetCore
import Fluent
import Vapor

/// The public side of recruitment: open rounds, and each applicant's own application.
enum ApplyController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("apply", use: rounds)
        routes.get("apply", ":programme", ":cohort", use: round)
        routes.post("apply", ":programme", ":cohort", use: start)
        let mine = routes.grouped("applications")
        mine.get(use: list)
        mine.get(":application", use: show)
        mine.post(":application", use: save)
        mine.post(":application", "submit", use: submit)
        mine.post(":application", "withdraw", use: withdraw)
        mine.post(":application", "accept", use: accept)
        mine.post(":application", "decline", use: decline)
        mine.on(.POST, ":application", "files", ":question", body: .collect(maxSize: "12mb"), use: upload)
        mine.get(":application", "files", ":file", use: download)
    }

    struct RoundCard: Encodable {
        let programme: String
        let cohort: String
        let href: String
        let opens: String
        let closes: String
        let capacity: Int
        let open: Bool
        let sponsored: Bool
    }

    struct RoundsPage: Encodable {
        let page: PageChrome
        let open: [RoundCard]?
        let upcoming: [RoundCard]?
    }

    @Sendable static func rounds(_ req: Request) async throws -> Response {
        let now = Date()
        let rounds = try await RecruitmentRound.query(on: req.db).filter(\.$closesAt > now).with(\.$cohort).sort(\.$closesAt).all()
        var cards: [RoundCard] = []
        for round in rounds {
            guard let programme = try await Programme.find(round.cohort.$programme.id, on: req.db) else { continue }
            let times = req.roundTimes(round)
            cards.append(RoundCard(programme: programme.name, cohort: round.cohort.name, href: "/apply/\(programme.slug)/\(round.cohort.slug)",
                                   opens: times.opens, closes: times.closes, capacity: round.capacity, open: round.opensAt <= now, sponsored: round.sponsored))
        }
        return try await req.render("apply/index", RoundsPage(page: PageChrome(req, title: req.localizer("apply.title")),
                                                              open: cards.filter(\.open).nilIfEmpty, upcoming: cards.filter { !$0.open }.nilIfEmpty))
    }

    struct RoundPage: Encodable {
        let page: PageChrome
        let card: RoundCard
        let description: String
        let state: String
        let signedIn: Bool
        let existing: String?
        let action: String
        let signInLink: String
        let consent: SetupConsent?
    }

    struct SetupConsent: Encodable { let version: Int; let purpose: String; let items: String; let retention: String; let text: String }

    static func publicRound(_ req: Request) async throws -> (RecruitmentLookup.RoundRef, Programme) {
        let ref = try await RecruitmentLookup.round(req)
        return (ref, ref.cohortRef.programme)
    }

    @Sendable static func round(_ req: Request) async throws -> Response {
        let (ref, programme) = try await publicRound(req)
        let t = req.localizer
        let now = Date()
        let times = req.roundTimes(ref.round)
        let state = now < ref.round.opensAt ? "upcoming" : now >= ref.round.closesAt ? "closed" : "open"
        var existing: String?
        if let user = req.currentUser,
           let mine = try await user.applicationOwner.filter(Applicant.query(on: req.db).filter(\.$round.$id == ref.round.id!)).first() {
            existing = "/applications/\(mine.id!.uuidString.lowercased())"
        }
        let consent = try await ConsentService.current(for: ref.round.id!, on: req.db).map {
            SetupConsent(version: $0.version, purpose: $0.purpose, items: $0.items, retention: $0.retention, text: $0.text)
        }
        let card = RoundCard(programme: programme.name, cohort: ref.cohort.name, href: req.url.path, opens: times.opens, closes: times.closes,
                             capacity: ref.round.capacity, open: state == "open", sponsored: ref.round.sponsored)
        return try await req.render("apply/round", RoundPage(
            page: PageChrome(req, title: "\(programme.name) · \(ref.cohort.name)"), card: card, description: programme.description,
            state: t("apply.state.\(state)"), signedIn: req.currentUser != nil, existing: existing, action: req.url.path,
            signInLink: "/signin?next=\(req.url.path)", consent: consent))
    }

    @Sendable static func start(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (ref, _) = try await publicRound(req)
        guard let record = try await User.find(user.id, on: req.db) else { throw AccessError.signInRequired }
        let applicant = try await service(req).start(round: ref.round, cohort: ref.cohort, user: record)
        return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())")
    }

    static func service(_ req: Request) -> ApplicationService {
        ApplicationService(database: req.db, actor: req.actor, localizer: req.localizer)
    }

    struct ListRow: Encodable { let programme: String; let cohort: String; let stage: String; let number: String; let href: String }

    struct ListPage: Encodable {
        let page: PageChrome
        let rows: [ListRow]?
        let nominations: [NominationsController.Row]?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let mine = try await user.applicationOwner.filter(Applicant.query(on: req.db))
            .with(\.$cohort).sort(\.$createdAt, .descending).all()
        var rows: [ListRow] = []
        for a in mine {
            let programme = try await Programme.find(a.cohort.$programme.id, on: req.db)
            rows.append(ListRow(programme: programme?.name ?? "", cohort: a.cohort.name, stage: t("stage.\(a.stage.rawValue)"),
                                number: a.number.map { "#\($0)" } ?? "—", href: "/applications/\(a.id!.uuidString.lowercased())"))
        }
        return try await req.render("applications/index", ListPage(page: PageChrome(req, title: t("applications.title")), rows: rows.nilIfEmpty,
                                                                   nominations: try await NominationsController.rows(for: user, req).nilIfEmpty))
    }
}
