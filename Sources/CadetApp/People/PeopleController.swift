import CadetCore
import Fluent
import Vapor

enum PeopleController {
    static let pageSize = 50

    static func register(_ routes: any RoutesBuilder) {
        let people = routes.grouped("people")
        people.get(use: index)
        people.get("new", use: newForm)
        people.post(use: create)
        people.get(":person", use: show)
        people.post(":person", "roles", use: grant)
        people.post(":person", "roles", ":grant", "delete", use: revoke)
    }

    /// People lists are for operators and programme staff, narrowed to their programmes.
    static func requireDirectoryAccess(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard user.policy.isOperator || !(user.policy.staffedProgrammes ?? []).isEmpty else { throw AccessError.forbidden }
        return user
    }

    struct IndexPage: Encodable {
        let page: PageChrome
        let people: [DirectoryViews.PersonRow]?
        let query: String
        let pageNumber: Int
        let previous: String?
        let next: String?
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        let user = try requireDirectoryAccess(req)
        let search = req.queryText("q")
        let number = PageNumber(try? req.query.get(String.self, at: "page")).value
        let found = try await PeopleQueries.list(visibleTo: user.policy, search: search, page: number, size: pageSize, on: req.db)
        let link = { (n: Int) in "/people?page=\(n)&q=\(search.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")" }
        return try await req.render("people/index", IndexPage(page: PageChrome(req, title: req.localizer("people.title")), people: found.rows.nilIfEmpty,
                                                               query: search, pageNumber: number,
                                                               previous: number > 1 ? link(number - 1) : nil,
                                                               next: found.hasMore ? link(number + 1) : nil))
    }

    struct NewPage: Encodable {
        let page: PageChrome
        let form: FormState
        let roles: [RoleChoice]
        let scopes: [ScopeChoice]
    }

    struct RoleChoice: Encodable {
        let value: String
        let label: String

        static func all(_ t: Localizer) -> [RoleChoice] {
            Role.allCases.map { RoleChoice(value: $0.rawValue, label: t("role.\($0.rawValue)")) }
        }
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        let user = try requireDirectoryAccess(req)
        let t = req.localizer
        return try await req.render("people/new", NewPage(page: PageChrome(req, title: t("people.new")), form: .empty,
                                                           roles: RoleChoice.all(t), scopes: try await ScopeChoice.choices(for: user.policy, t, on: req.db)))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let user = try requireDirectoryAccess(req)
        let values = try req.formValues()
        let t = req.localizer
        do {
            // The first role decides who may add the person: programme staff only add people to
            // their own programmes.
            let role = try FieldReader.requireChoice(values, "role", as: Role.self)
            guard let scope = try await ScopeChoice.parse(values["scope"], on: req.db) else {
                throw ValidationFailure([FieldIssue("scope", .unknownChoice)])
            }
            guard user.policy.mayGrant(role, at: scope) else { throw AccessError.forbidden }
            let person = try await req.db.transaction { db in
                let person = try await PeopleService(database: db, actor: req.actor).create(values)
                try await RoleService(database: db, actor: req.actor).ensure(role, for: person.id!, at: scope)
                return person
            }
            try await PasswordController.service(req).requestLink(email: person.email, purpose: .invitation, localizer: t, actor: req.actor)
            return req.redirect(to: "/people/\(person.id!.uuidString.lowercased())", notice: "notice.person_added")
        } catch let failure as ValidationFailure {
            return try await req.render("people/new", NewPage(page: PageChrome(req, title: t("people.new")), form: FormState(values: values, failure: failure, t),
                                                               roles: RoleChoice.all(t), scopes: try await ScopeChoice.choices(for: user.policy, t, on: req.db)),
                                        status: .unprocessableEntity)
        }
    }

    struct ShowPage: Encodable {
        let page: PageChrome
        let person: DirectoryViews.PersonRow
        let grants: [PeopleQueries.GrantRow]?
        let roles: [RoleChoice]
        let scopes: [ScopeChoice]
        let canGrant: Bool
        let form: FormState
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (viewer, person) = try await visiblePerson(req)
        return try await renderShow(req, viewer, person)
    }

    static func renderShow(_ req: Request, _ viewer: CurrentUser, _ person: User, form: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let scopes = try await ScopeChoice.choices(for: viewer.policy, t, on: req.db)
        let grants = try await PeopleQueries.grantRows(of: person.id!, viewer: viewer.policy, t, on: req.db)
        return try await req.render("people/show", ShowPage(page: PageChrome(req, title: person.name), person: .init(person), grants: grants.nilIfEmpty,
                                                             roles: RoleChoice.all(t), scopes: scopes, canGrant: !scopes.isEmpty, form: form), status: status)
    }

    @Sendable static func grant(_ req: Request) async throws -> Response {
        let (viewer, person) = try await visiblePerson(req)
        let values = try req.formValues()
        do {
            let role = try FieldReader.requireChoice(values, "role", as: Role.self)
            guard let scope = try await ScopeChoice.parse(values["scope"], on: req.db) else {
                throw ValidationFailure([FieldIssue("scope", .unknownChoice)])
            }
            guard viewer.policy.mayGrant(role, at: scope) else { throw AccessError.forbidden }
            try await req.db.transaction { db in
                try await RoleService(database: db, actor: req.actor).ensure(role, for: person.id!, at: scope)
            }
            return req.redirect(to: "/people/\(person.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderShow(req, viewer, person, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func revoke(_ req: Request) async throws -> Response {
        let (viewer, person) = try await visiblePerson(req)
        guard let grantID = req.parameters.get("grant", as: UUID.self),
              let grant = try await RoleGrant.query(on: req.db).filter(\.$id == grantID).filter(\.$user.$id == person.id!).first(),
              let held = grant.grant else {
            throw PlatformError.notFound
        }
        guard viewer.policy.mayGrant(held.role, at: held.scope) else { throw AccessError.forbidden }
        try await req.db.transaction { db in
            try await RoleService(database: db, actor: req.actor).revoke(grant)
        }
        return req.redirect(to: "/people/\(person.id!.uuidString.lowercased())", notice: "notice.saved")
    }

    /// A person's record is visible to themselves, operators, and staff of a programme where
    /// the person holds a role.
    static func visiblePerson(_ req: Request) async throws -> (CurrentUser, User) {
        let viewer = try req.requireUser()
        guard let id = req.parameters.get("person", as: UUID.self), let person = try await User.find(id, on: req.db) else {
            throw DirectoryError.personNotFound
        }
        if viewer.id == id || viewer.policy.isOperator { return (viewer, person) }
        let staffed = viewer.policy.staffedProgrammes ?? []
        let theirProgrammes = Set(try await RoleQueries.grants(of: id, on: req.db).compactMap(\.scope.programmeID))
        guard !staffed.isDisjoint(with: theirProgrammes) else { throw AccessError.forbidden }
        return (viewer, person)
    }
}

extension FieldReader {
    static func requireChoice<T: RawRepresentable>(_ values: [String: String], _ field: String, as type: T.Type) throws -> T where T.RawValue == String {
        var reader = FieldReader(values)
        let choice = reader.choice(field, as: type)
        try reader.check()
        return choice!
    }
}
