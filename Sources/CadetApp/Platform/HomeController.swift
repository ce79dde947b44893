import CadetCore
import Fluent
import Vapor

/// The first page: what the signed-in person can reach, or what Cadet is and how to sign in.
enum HomeController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(use: home)
    }

    struct Page: Encodable {
        let page: PageChrome
        let signedIn: Bool
        let programmes: [DirectoryViews.ProgrammeRow]?
        let grants: [PeopleQueries.GrantRow]?
    }

    @Sendable static func home(_ req: Request) async throws -> Response {
        let t = req.localizer
        guard let user = req.currentUser else {
            return try await req.render("home", Page(page: PageChrome(req, title: t("home.title")), signedIn: false, programmes: nil, grants: nil))
        }
        let programmes = try await DirectoryQueries.programmeRows(visibleTo: user.policy, on: req.db)
        let grants = try await PeopleQueries.grantRows(of: user.id, viewer: AccessPolicy(grants: []), t, on: req.db)
        return try await req.render("home", Page(page: PageChrome(req, title: t("home.title")), signedIn: true, programmes: programmes.nilIfEmpty, grants: grants.nilIfEmpty))
    }
}
