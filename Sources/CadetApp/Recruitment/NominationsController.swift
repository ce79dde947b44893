import CadetCore
import Fluent
import Vapor

/// The nominee's side of a company's nomination: see it, accept it or decline it. A nomination
/// is theirs when it names the address they have proved is theirs.
enum NominationsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("nominations", ":nomination", "accept", use: accept)
        routes.post("nominations", ":nomination", "decline", use: decline)
    }

    struct Row: Encodable {
        let company: String
        let cohort: String
        let status: String
        let acceptAction: String?
        let declineAction: String?
    }

    static func rows(for user: CurrentUser, _ req: Request) async throws -> [Row] {
        guard user.emailVerified else { return [] }
        let t = req.localizer
        return try await Nomination.query(on: req.db).filter(\.$email == user.email)
            .with(\.$sponsorship) { $0.with(\.$round) { $0.with(\.$cohort) } }.sort(\.$createdAt, .descending).all()
            .map { n in
                let path = "/nominations/\(n.id!.uuidString.lowercased())"
                let open = n.status == .invited
                return Row(company: n.sponsorship.company, cohort: n.sponsorship.round.cohort.name, status: t("nomination.status.\(n.status.rawValue)"),
                           acceptAction: open ? "\(path)/accept" : nil, declineAction: open ? "\(path)/decline" : nil)
            }
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        try await answer(req, accept: true)
    }

    @Sendable static func decline(_ req: Request) async throws -> Response {
        try await answer(req, accept: false)
    }

    static func answer(_ req: Request, accept: Bool) async throws -> Response {
        let user = try req.requireUser()
        // Someone else's nomination is "not found": whom a company nominated is nobody else's business.
        guard user.emailVerified, let id = req.parameters.get("nomination", as: UUID.self),
              let nomination = try await Nomination.query(on: req.db).filter(\.$id == id).filter(\.$email == user.email).first(),
              let record = try await User.find(user.id, on: req.db) else {
            throw RecruitmentError.applicationNotFound
        }
        try await SponsorshipsController.service(req).answer(nomination, accept: accept, by: record)
        return req.redirect(to: "/applications", notice: accept ? "notice.nomination_accepted" : "notice.nomination_declined")
    }
}
