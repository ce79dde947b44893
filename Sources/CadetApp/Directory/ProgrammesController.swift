import CadetCore
import Fluent
import Vapor

enum ProgrammesController {
    static func register(_ routes: any RoutesBuilder) {
        let programmes = routes.grouped("programmes")
        programmes.get(use: index)
        programmes.get("new", use: newForm)
        programmes.post(use: create)
        programmes.get(":programme", use: show)
        programmes.get(":programme", "edit", use: editForm)
        programmes.post(":programme", use: update)
    }

    struct IndexPage: Encodable {
        let page: PageChrome
        let programmes: [DirectoryViews.ProgrammeRow]?
        let canCreate: Bool
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let rows = try await DirectoryQueries.programmeRows(visibleTo: user.policy, on: req.db)
        return try await req.render("programmes/index", IndexPage(page: PageChrome(req, title: req.localizer("programmes.title")),
                                                                   programmes: rows.nilIfEmpty, canCreate: user.policy.allows(.createProgramme, in: .academy)))
    }

    struct FormPage: Encodable {
        let page: PageChrome
        let form: FormState
        let action: String
        let editing: Bool
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        try req.authorize(.createProgramme, in: .academy)
        return try await req.render("programmes/form", FormPage(page: PageChrome(req, title: req.localizer("programmes.new")), form: .empty, action: "/programmes", editing: false))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.createProgramme, in: .academy)
        let values = try req.formValues()
        do {
            let programme = try await ProgrammeService(database: req.db, actor: req.actor).create(values)
            return req.redirect(to: "/programmes/\(programme.slug)", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            let t = req.localizer
            return try await req.render("programmes/form", FormPage(page: PageChrome(req, title: t("programmes.new")), form: FormState(values: values, failure: failure, t), action: "/programmes", editing: false), status: .unprocessableEntity)
        }
    }

    struct ShowPage: Encodable {
        let page: PageChrome
        let programme: DirectoryViews.ProgrammeRow
        let description: String
        let cohorts: [DirectoryViews.CohortRow]?
        let canManage: Bool
        let links: [CohortsController.Link]?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        let user = try req.authorize(.viewProgramme, in: ref.scope)
        let cohorts = try await DirectoryQueries.cohortRows(of: ref, visibleTo: user.policy, on: req.db)
        let row = DirectoryViews.ProgrammeRow(ref.programme, cohortCount: cohorts.count)
        return try await req.render("programmes/show", ShowPage(page: PageChrome(req, title: ref.programme.name), programme: row,
                                                                 description: ref.programme.description, cohorts: cohorts.nilIfEmpty,
                                                                 canManage: user.policy.allows(.manageProgramme, in: ref.scope),
                                                                 links: Capabilities.programmeLinks.filter { user.policy.allows($0.permission, in: ref.scope) }
                                                                     .map { .init(href: "/programmes/\(ref.programme.slug)/\($0.path)", label: req.localizer($0.label)) }.nilIfEmpty))
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.manageProgramme, in: ref.scope)
        let values = ["slug": ref.programme.slug, "name": ref.programme.name, "description": ref.programme.description]
        return try await req.render("programmes/form", FormPage(page: PageChrome(req, title: req.localizer("programmes.edit")),
                                                                 form: FormState(values: values, errors: [:], formError: nil),
                                                                 action: "/programmes/\(ref.programme.slug)", editing: true))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.manageProgramme, in: ref.scope)
        let values = try req.formValues()
        do {
            try await ProgrammeService(database: req.db, actor: req.actor).update(ref.programme, values)
            return req.redirect(to: "/programmes/\(ref.programme.slug)", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            let t = req.localizer
            var shown = values
            shown["slug"] = ref.programme.slug
            return try await req.render("programmes/form", FormPage(page: PageChrome(req, title: t("programmes.edit")), form: FormState(values: shown, failure: failure, t), action: "/programmes/\(ref.programme.slug)", editing: true), status: .unprocessableEntity)
        }
    }
}
