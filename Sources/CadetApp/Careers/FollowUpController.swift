import CadetCore
import Fluent
import Vapor

/// Follow-ups: staff send a cohort's graduates a link at +3, +6 or +12 months; a graduate opens
/// it without signing in and says where they stand. A forged, used-up or expired link is a plain
/// not-found and shows nothing about anyone.
enum FollowUpController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("programmes", ":programme", "cohorts", ":cohort", "outcomes", "follow-ups", use: send)
        routes.get("outcome-update", ":token", use: form)
        routes.post("outcome-update", ":token", use: answer)
    }

    static func service(_ req: Request) -> FollowUpService {
        FollowUpService(database: req.db, actor: req.actor, now: req.now, publicURL: req.application.config.publicURL)
    }

    @Sendable static func send(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        var reader = FieldReader(try req.formValues())
        let point = reader.choice("point", as: SnapshotPoint.self)
        try reader.check()
        let count = try await service(req).send(point!, in: ref)
        return req.redirect(to: OutcomesController.base(ref), notice: count == 0 ? "notice.follow_ups_none" : "notice.follow_ups_sent")
    }

    struct Page: Encodable {
        let page: PageChrome
        let action: String
        let name: String
        let cohort: String
        let form: FormState
        let statuses: [OutcomesController.Choice]
        let types: [OutcomesController.Choice]
        let bands: [OutcomesController.Choice]
        let done: Bool
    }

    static func render(_ req: Request, token: String, form: FormState? = nil, done: Bool = false, status: HTTPResponseStatus = .ok) async throws -> Response {
        let (_, ref, user) = try await service(req).followUp(token: token)
        let t = req.localizer
        var shown = form
        if shown == nil {
            let current = try await GraduateOutcome.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == user.requireID()).first()
            shown = FormState(values: OutcomesController.values(current?.draft), errors: [:], formError: nil)
        }
        let response = try await req.render("careers/follow_up", Page(
            page: PageChrome(req, title: t("follow_up.title")), action: "/outcome-update/\(token)", name: user.name,
            cohort: "\(ref.programme.name) · \(ref.cohort.name)", form: shown!,
            statuses: OutcomeStatus.allCases.filter { $0 != .notReporting }.map { .init(value: $0.rawValue, label: t("outcome.\($0.rawValue)")) },
            types: EmploymentType.allCases.map { .init(value: $0.rawValue, label: t("employment_type.\($0.rawValue)")) },
            bands: SalaryBand.allCases.map { .init(value: $0.rawValue, label: t("salary_band.\($0.rawValue)")) }, done: done), status: status)
        // The token is in the address: keep it out of other sites' Referer headers and caches.
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    @Sendable static func form(_ req: Request) async throws -> Response {
        try await render(req, token: req.parameters.get("token") ?? "")
    }

    @Sendable static func answer(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let values = try req.formValues()
        do {
            try await service(req).answer(try OutcomeDraft.parse(values), token: token)
        } catch let failure as ValidationFailure {
            _ = try await service(req).followUp(token: token)
            return try await render(req, token: token, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
        return try await render(req, token: token, done: true)
    }
}
