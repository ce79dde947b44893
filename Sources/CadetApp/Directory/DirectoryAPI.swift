import CadetCore
import Fluent
import Vapor

/// /api/v1: programmes, cohorts and classes, as the pages show them to the same person.
enum DirectoryAPI {
    static func register(_ api: any RoutesBuilder) {
        let programmes = api.grouped("programmes")
        programmes.get(use: listProgrammes)
        programmes.get(":programme", use: programme)
        programmes.get(":programme", "cohorts", use: listCohorts)
        programmes.get(":programme", "cohorts", ":cohort", use: cohort)
        programmes.get(":programme", "cohorts", ":cohort", "classes", use: classes)
    }

    struct ProgrammeDTO: Encodable {
        let id: UUID
        let slug: String
        let name: String
        let description: String

        init(_ p: Programme) {
            (id, slug, name, description) = (p.id!, p.slug, p.name, p.description)
        }
    }

    struct PhaseDTO: Encodable { let name: String; let hours: Int }

    struct CohortDTO: Encodable {
        let id: UUID
        let programme: String
        let slug: String
        let name: String
        let capacity: Int
        let startsOn: String
        let endsOn: String
        let targetHours: Int?
        let phases: [PhaseDTO]
    }

    struct PersonRef: Encodable {
        let id: UUID
        let name: String
        let email: String

        init(_ user: User) { (id, name, email) = (user.id!, user.name, user.email) }
    }

    struct ClassDTO: Encodable {
        let id: UUID
        let name: String
        let instructor: PersonRef?
        let assistant: PersonRef?
        let trainees: [PersonRef]
    }

    @Sendable static func listProgrammes(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let paging = try APIPaging(req)
        var query = Programme.query(on: req.db).sort(\.$slug)
        if let visible = user.policy.visibleProgrammes { query = query.filter(\.$id ~~ visible.map(\.uuid)) }
        if let after = paging.after { query = query.filter(\.$slug > after) }
        let rows = try await query.limit(paging.limit + 1).all()
        return try APIJSON.response(paging.page(rows, key: \.slug, item: ProgrammeDTO.init))
    }

    @Sendable static func programme(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.viewProgramme, in: ref.scope)
        return try APIJSON.response(ProgrammeDTO(ref.programme))
    }

    @Sendable static func listCohorts(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        let user = try req.authorize(.viewProgramme, in: ref.scope)
        let paging = try APIPaging(req)
        var query = Cohort.query(on: req.db).filter(\.$programme.$id == ref.id).sort(\.$slug)
        if let visible = user.policy.visibleCohorts(in: ProgrammeID(ref.id)) { query = query.filter(\.$id ~~ visible.map(\.uuid)) }
        if let after = paging.after { query = query.filter(\.$slug > after) }
        let rows = try await query.limit(paging.limit + 1).all()
        var dtos: [CohortDTO] = []
        for cohort in paging.shown(rows) { dtos.append(try await dto(cohort, programme: ref.programme, on: req.db)) }
        return try APIJSON.response(APIPage(data: dtos, nextCursor: paging.nextCursor(rows, key: \.slug)))
    }

    @Sendable static func cohort(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.viewCohort, in: ref.scope)
        return try APIJSON.response(try await dto(ref.cohort, programme: ref.programme, on: req.db))
    }

    static func dto(_ cohort: Cohort, programme: Programme, on db: any Database) async throws -> CohortDTO {
        let phases = try await CohortPhase.query(on: db).filter(\.$cohort.$id == cohort.requireID()).sort(\.$position).all()
        return CohortDTO(id: cohort.id!, programme: programme.slug, slug: cohort.slug, name: cohort.name, capacity: cohort.capacity,
                         startsOn: cohort.startsOn, endsOn: cohort.endsOn, targetHours: cohort.targetHours,
                         phases: phases.map { PhaseDTO(name: $0.name, hours: $0.hours) })
    }

    /// A cohort's classes with their staff and trainees: the roster, for those who may see it.
    @Sendable static func classes(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.viewRoster, in: ref.scope)
        let paging = try APIPaging(req)
        var query = TrainingClass.query(on: req.db).filter(\.$cohort.$id == ref.id).with(\.$instructor).with(\.$assistant).sort(\.$name)
        if let after = paging.after { query = query.filter(\.$name > after) }
        let rows = try await query.limit(paging.limit + 1).all()
        var trainees: [UUID: [PersonRef]] = [:]
        let shown = paging.shown(rows).map { $0.id! }
        for member in try await ClassMember.query(on: req.db).filter(\.$trainingClass.$id ~~ shown).with(\.$user).all() {
            trainees[member.$trainingClass.id, default: []].append(PersonRef(member.user))
        }
        return try APIJSON.response(paging.page(rows, key: \.name) { c in
            ClassDTO(id: c.id!, name: c.name, instructor: c.instructor.map(PersonRef.init), assistant: c.assistant.map(PersonRef.init),
                     trainees: (trainees[c.id!] ?? []).sorted { $0.email < $1.email })
        })
    }
}
