import CadetCore
import Fluent
import Vapor

/// Trainees' and graduates' side of hiring: the open postings of their programmes, applying,
/// and where each of their applications stands.
enum JobsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("jobs", use: list)
        routes.post("jobs", ":posting", "apply", use: apply)
    }

    struct Row: Encodable {
        let id: String
        let company: String
        let title: String
        let description: String
        let location: String
        let closesOn: String
        let stage: String?
    }

    struct DayLink: Encodable { let href: String; let title: String; let day: String; let place: String }

    struct Page: Encodable {
        let page: PageChrome
        let rows: [Row]?
        let days: [DayLink]?
    }

    /// Programmes the person is (or was) a trainee of.
    static func programmes(of userID: UUID, on db: any Database) async throws -> Set<UUID> {
        Set(try await ClassMember.query(on: db).filter(\.$user.$id == userID).with(\.$cohort).all().map { $0.cohort.$programme.id })
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let today = CalendarDate(req.now, in: t.timeZone).iso
        let programmes = try await programmes(of: user.id, on: req.db)
        let postings = programmes.isEmpty ? [] : try await JobPosting.query(on: req.db).filter(\.$programme.$id ~~ programmes).with(\.$company)
            .sort(\.$closesOn).all()
        let mine = Dictionary(try await Placement.query(on: req.db).filter(\.$trainee.$id == user.id).all().map { ($0.$posting.id, $0.stage) }) { a, _ in a }
        let rows = postings.filter { $0.closesOn >= today || mine[$0.id!] != nil }.map { p in
            Row(id: p.id!.uuidString.lowercased(), company: p.company.name, title: p.title, description: p.description, location: p.location ?? "",
                closesOn: p.closesOn, stage: mine[p.id!].map { t("placement.\($0.rawValue)") })
        }
        let days = programmes.isEmpty ? [] : try await RecruitDay.query(on: req.db).filter(\.$programme.$id ~~ programmes).filter(\.$day >= today).sort(\.$day).all()
        return try await req.render("careers/jobs", Page(page: PageChrome(req, title: t("jobs.title")), rows: rows.nilIfEmpty,
                                                         days: days.map { DayLink(href: "/recruit-days/\($0.id!.uuidString.lowercased())", title: $0.title, day: $0.day, place: $0.place) }.nilIfEmpty))
    }

    @Sendable static func apply(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("posting", as: UUID.self),
              let posting = try await JobPosting.find(id, on: req.db),
              try await programmes(of: user.id, on: req.db).contains(posting.$programme.id) else { throw CareersError.postingNotFound }
        guard posting.closesOn >= CalendarDate(req.now, in: req.localizer.timeZone).iso else { throw CareersError.postingClosed }
        guard let account = try await User.find(user.id, on: req.db) else { throw CareersError.postingNotFound }
        _ = try await HiringService(database: req.db, actor: req.actor, now: req.now).apply(account, to: posting)
        return req.redirect(to: "/jobs", notice: "notice.applied_to_job")
    }
}
