import CadetCore
import Fluent
import Vapor

enum ClassesController {
    static func register(_ routes: any RoutesBuilder) {
        let classes = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "classes")
        classes.post(use: create)
        classes.get(":class", use: show)
        classes.post(":class", use: update)
        classes.post(":class", "trainees", use: addTrainee)
        classes.post(":class", "trainees", ":person", "delete", use: removeTrainee)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let values = try req.formValues()
        do {
            _ = try await ClassService(database: req.db, actor: req.actor).create(in: ref.cohort, values)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await CohortsController.renderShow(req, ref, classForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    struct ShowPage: Encodable {
        let page: PageChrome
        let programme: DirectoryViews.ProgrammeRow
        let cohort: DirectoryViews.CohortRow
        let trainingClass: DirectoryViews.ClassRow
        let path: String
        let trainees: [DirectoryViews.PersonRow]?
        let canManage: Bool
        let form: FormState
        let traineeForm: FormState
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.viewRoster, in: ref.scope)
        let found = try await DirectoryLookup.trainingClass(req, in: ref)
        return try await render(req, ref, found)
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, _ c: TrainingClass, form: FormState? = nil, traineeForm: FormState = .empty,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let row = try await DirectoryQueries.classRows(of: ref, on: req.db).first { $0.id == c.id }!
        let values = ["name": row.name, "instructor_email": row.instructorEmail ?? "", "assistant_email": row.assistantEmail ?? ""]
        let page = ShowPage(page: PageChrome(req, title: "\(ref.cohort.name) · \(row.name)"),
                            programme: .init(ref.programme, cohortCount: 0),
                            cohort: .init(ref.cohort, programmeSlug: ref.programme.slug, classCount: 0),
                            trainingClass: row, path: row.href,
                            trainees: try await DirectoryQueries.trainees(of: c.id!, on: req.db).nilIfEmpty,
                            canManage: user.policy.allows(.manageCohort, in: ref.scope),
                            form: form ?? FormState(values: values, errors: [:], formError: nil),
                            traineeForm: traineeForm)
        return try await req.render("classes/show", page, status: status)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let found = try await DirectoryLookup.trainingClass(req, in: ref)
        let values = try req.formValues()
        do {
            try await ClassService(database: req.db, actor: req.actor).update(found, in: ref.cohort, values)
            return req.redirect(to: req.url.path, notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, found, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func addTrainee(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let found = try await DirectoryLookup.trainingClass(req, in: ref)
        let values = try req.formValues()
        let path = "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/classes/\(found.id!.uuidString.lowercased())"
        do {
            try await ClassService(database: req.db, actor: req.actor).addTrainee(email: values["email"] ?? "", to: found, in: ref.cohort)
            return req.redirect(to: path, notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, found, traineeForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func removeTrainee(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        let found = try await DirectoryLookup.trainingClass(req, in: ref)
        guard let personID = req.parameters.get("person", as: UUID.self) else { throw DirectoryError.personNotFound }
        try await ClassService(database: req.db, actor: req.actor).removeTrainee(personID, from: found, in: ref.cohort)
        return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/classes/\(found.id!.uuidString.lowercased())", notice: "notice.saved")
    }
}
