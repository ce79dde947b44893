import CadetCore
import Fluent
import Vapor

enum CohortsController {
    static func register(_ routes: any RoutesBuilder) {
        let cohorts = routes.grouped("programmes", ":programme", "cohorts")
        cohorts.get("new", use: newForm)
        cohorts.post(use: create)
        cohorts.get(":cohort", use: show)
        cohorts.get(":cohort", "edit", use: editForm)
        cohorts.post(":cohort", use: update)
        cohorts.post(":cohort", "phases", use: addPhase)
        cohorts.post(":cohort", "phases", ":phase", "delete", use: removePhase)
    }

    struct FormPage: Encodable {
        let page: PageChrome
        let programme: DirectoryViews.ProgrammeRow
        let form: FormState
        let action: String
        let editing: Bool
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.manageProgramme, in: ref.scope)
        return try await req.render("cohorts/form", FormPage(page: PageChrome(req, title: req.localizer("cohorts.new")),
                                                              programme: .init(ref.programme, cohortCount: 0), form: .empty,
                                                              action: "/programmes/\(ref.programme.slug)/cohorts", editing: false))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.manageProgramme, in: ref.scope)
        let values = try req.formValues()
        do {
            let cohort = try await CohortService(database: req.db, actor: req.actor).create(in: ref.programme, values)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(cohort.slug)", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            let t = req.localizer
            return try await req.render("cohorts/form", FormPage(page: PageChrome(req, title: t("cohorts.new")), programme: .init(ref.programme, cohortCount: 0),
                                                                  form: FormState(values: values, failure: failure, t),
                                                                  action: "/programmes/\(ref.programme.slug)/cohorts", editing: false), status: .unprocessableEntity)
        }
    }

    struct Link: Encodable { let href: String; let label: String }

    struct ShowPage: Encodable {
        let page: PageChrome
        let programme: DirectoryViews.ProgrammeRow
        let cohort: DirectoryViews.CohortRow
        let base: String
        let phases: [DirectoryViews.PhaseRow]?
        let plannedHours: Int
        let balance: String?
        let weekdayHours: Int
        let classes: [DirectoryViews.ClassRow]?
        let roster: [DirectoryViews.PersonRow]?
        let canManage: Bool
        let canSeeRoster: Bool
        /// Other capabilities' pages about this cohort that this person may open.
        let links: [Link]?
        let phaseForm: FormState
        let classForm: FormState
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.viewCohort, in: ref.scope)
        return try await renderShow(req, ref)
    }

    /// The cohort page, optionally with one of its two forms coming back with problems.
    static func renderShow(_ req: Request, _ ref: DirectoryLookup.CohortRef, phaseForm: FormState = .empty, classForm: FormState = .empty,
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let phases = try await DirectoryQueries.phases(of: ref.id, on: req.db)
        let classes = try await DirectoryQueries.classRows(of: ref, on: req.db)
        let canSeeRoster = user.policy.allows(.viewRoster, in: ref.scope)
        let balance = CurriculumBalance(phaseHours: phases.map(\.hours), targetHours: ref.cohort.targetHours)
        let draft = try? CohortDraft.parse(["slug": ref.cohort.slug, "name": ref.cohort.name, "capacity": String(ref.cohort.capacity),
                                            "starts_on": ref.cohort.startsOn, "ends_on": ref.cohort.endsOn])
        let page = ShowPage(
            page: PageChrome(req, title: "\(ref.programme.name) · \(ref.cohort.name)"),
            programme: .init(ref.programme, cohortCount: 0),
            cohort: .init(ref.cohort, programmeSlug: ref.programme.slug, classCount: classes.count),
            base: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)",
            phases: phases.nilIfEmpty,
            plannedHours: balance.plannedHours,
            balance: balance.difference.flatMap { $0 == 0 ? nil : t($0 > 0 ? "cohorts.balance.over" : "cohorts.balance.under", ["hours": String(abs($0))]) },
            weekdayHours: draft?.weekdayHoursAvailable ?? 0,
            classes: classes.nilIfEmpty,
            roster: canSeeRoster ? try await DirectoryQueries.roster(of: ref, t, on: req.db).nilIfEmpty : nil,
            canManage: user.policy.allows(.manageCohort, in: ref.scope),
            canSeeRoster: canSeeRoster,
            links: Capabilities.cohortLinks.filter { user.policy.allows($0.permission, in: ref.scope) }
                .map { Link(href: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/\($0.path)", label: t($0.label)) }.nilIfEmpty,
            phaseForm: phaseForm,
            classForm: classForm)
        return try await req.render("cohorts/show", page, status: status)
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let c = ref.cohort
        let values = ["slug": c.slug, "name": c.name, "capacity": String(c.capacity), "starts_on": c.startsOn, "ends_on": c.endsOn,
                      "target_hours": c.targetHours.map(String.init) ?? ""]
        return try await req.render("cohorts/form", FormPage(page: PageChrome(req, title: req.localizer("cohorts.edit")),
                                                              programme: .init(ref.programme, cohortCount: 0),
                                                              form: FormState(values: values, errors: [:], formError: nil),
                                                              action: "/programmes/\(ref.programme.slug)/cohorts/\(c.slug)", editing: true))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let values = try req.formValues()
        let path = "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)"
        do {
            try await CohortService(database: req.db, actor: req.actor).update(ref.cohort, values)
            return req.redirect(to: path, notice: "notice.saved")
        } catch let failure as ValidationFailure {
            let t = req.localizer
            var shown = values
            shown["slug"] = ref.cohort.slug
            return try await req.render("cohorts/form", FormPage(page: PageChrome(req, title: t("cohorts.edit")), programme: .init(ref.programme, cohortCount: 0),
                                                                  form: FormState(values: shown, failure: failure, t), action: path, editing: true), status: .unprocessableEntity)
        }
    }

    @Sendable static func addPhase(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let values = try req.formValues()
        do {
            try await CohortService(database: req.db, actor: req.actor).addPhase(to: ref.cohort, values)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderShow(req, ref, phaseForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func removePhase(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        guard let phaseID = req.parameters.get("phase", as: UUID.self) else { throw PlatformError.notFound }
        try await CohortService(database: req.db, actor: req.actor).removePhase(phaseID, from: ref.cohort)
        return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)", notice: "notice.saved")
    }
}
