import CadetCore
import Fluent
import Vapor

/// /api/v1/people: people and their roles, for operators and programme staff, with the same
/// limits as the people pages; granting and revoking roles.
enum PeopleAPI {
    static func register(_ api: any RoutesBuilder) {
        let people = api.grouped("people")
        people.get(use: list)
        people.get(":person", use: show)
        people.post(":person", "roles", use: grant)
        people.delete(":person", "roles", ":grant", use: revoke)
    }

    struct RoleDTO: Encodable {
        let id: UUID
        let role: String
        let scope: APIScope
    }

    struct PersonDTO: Encodable {
        let id: UUID
        let name: String
        let email: String
        let emailVerified: Bool
        let roles: [RoleDTO]
    }

    struct GrantRequest: Decodable {
        let role: String
        let scope: ScopeRequest
    }

    /// `{ "kind": "cohort", "programme": "gwangju-ai", "cohort": "c1" }`.
    struct ScopeRequest: Decodable {
        let kind: String
        let programme: String?
        let cohort: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let user = try PeopleController.requireDirectoryAccess(req)
        let paging = try APIPaging(req)
        var query = User.query(on: req.db).sort(\.$email)
        if let staffed = user.policy.staffedProgrammes {
            let ids = try await RoleGrant.query(on: req.db).filter(\.$programme.$id ~~ staffed.map(\.uuid)).all().map(\.$user.id)
            query = query.filter(\.$id ~~ Set(ids))
        }
        if let raw = try? req.query.get(String.self, at: "q"), raw.count > 100 || TextSafety.hasControlCharacters(raw) { throw APIError.badParameter("q") }
        let search = req.queryText("q")
        if !search.isEmpty { query = query.group(.or) { $0.filter(\.$name ~~ search).filter(\.$email ~~ search.lowercased()) } }
        if let after = paging.after { query = query.filter(\.$email > after) }
        let rows = try await query.limit(paging.limit + 1).all()
        var people: [PersonDTO] = []
        for person in paging.shown(rows) { people.append(try await dto(person, on: req.db)) }
        return try APIJSON.response(APIPage(data: people, nextCursor: paging.nextCursor(rows, key: \.email)))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (_, person) = try await PeopleController.visiblePerson(req)
        return try APIJSON.response(try await dto(person, on: req.db))
    }

    static func dto(_ person: User, on db: any Database) async throws -> PersonDTO {
        var roles: [RoleDTO] = []
        for grant in try await RoleGrant.query(on: db).filter(\.$user.$id == person.requireID()).sort(\.$createdAt).all() {
            guard let held = grant.grant else { continue }
            roles.append(RoleDTO(id: grant.id!, role: held.role.rawValue, scope: try await APIScope(held.scope, on: db)))
        }
        return PersonDTO(id: person.id!, name: person.name, email: person.email, emailVerified: person.emailVerifiedAt != nil, roles: roles)
    }

    /// Grants a role: 201 with the person as they now stand. Only what the token's holder may
    /// grant at that scope, as on the page.
    @Sendable static func grant(_ req: Request) async throws -> Response {
        let (viewer, person) = try await PeopleController.visiblePerson(req)
        let body = try req.apiBody(GrantRequest.self)
        guard let role = Role(rawValue: body.role) else { throw ValidationFailure([FieldIssue("role", .unknownChoice)]) }
        let scope = try await resolve(body.scope, on: req.db)
        guard role.allowsGlobalScope == (scope == .academy) else { throw ValidationFailure([FieldIssue("scope", .unknownChoice)]) }
        guard viewer.policy.mayGrant(role, at: scope) else { throw AccessError.forbidden }
        try await req.db.transaction { db in
            try await RoleService(database: db, actor: req.actor).ensure(role, for: person.requireID(), at: scope)
        }
        return try APIJSON.response(try await dto(person, on: req.db), status: .created)
    }

    @Sendable static func revoke(_ req: Request) async throws -> Response {
        let (viewer, person) = try await PeopleController.visiblePerson(req)
        guard let grantID = req.parameters.get("grant", as: UUID.self),
              let grant = try await RoleGrant.query(on: req.db).filter(\.$id == grantID).filter(\.$user.$id == person.requireID()).first(),
              let held = grant.grant else {
            throw PlatformError.notFound
        }
        guard viewer.policy.mayGrant(held.role, at: held.scope) else { throw AccessError.forbidden }
        try await req.db.transaction { db in try await RoleService(database: db, actor: req.actor).revoke(grant) }
        return Response(status: .noContent)
    }

    static func resolve(_ scope: ScopeRequest, on db: any Database) async throws -> Scope {
        // A slug that could never be one is a malformed request, whatever the kind.
        for slug in [scope.programme, scope.cohort].compactMap({ $0 }) where !Slug.isValid(slug) {
            throw APIError.badBody("scope: \"\(slug.prefix(40))\" is not a slug")
        }
        let unknown = ValidationFailure([FieldIssue("scope", .unknownChoice)])
        switch scope.kind {
        case "academy":
            return .academy
        case "programme", "cohort":
            guard let slug = scope.programme, slug.utf8.count <= 80, !TextSafety.hasControlCharacters(slug),
                  let programme = try await Programme.query(on: db).filter(\.$slug == slug).first() else { throw unknown }
            guard scope.kind == "cohort" else { return .programme(ProgrammeID(programme.id!)) }
            guard let slug = scope.cohort, slug.utf8.count <= 80, !TextSafety.hasControlCharacters(slug),
                  let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == slug).first() else { throw unknown }
            return .cohort(CohortID(cohort.id!), in: ProgrammeID(programme.id!))
        default:
            throw unknown
        }
    }
}
