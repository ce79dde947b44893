import CadetCore
import Fluent
import Vapor

/// Excused absences: trainees ask with evidence; the cohort's staff decide.
enum ExcusesController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("training", "excuses", use: mine)
        routes.on(.POST, "training", "excuses", body: .collect(maxSize: "12mb"), use: request)
        routes.get("training", "excuses", ":excuse", "evidence", use: evidence)
        let staff = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "excuses")
        staff.get(use: list)
        staff.post(":excuse", use: decide)
    }

    struct Row: Encodable {
        let who: String
        let days: String
        let reason: String
        let status: String
        let decision: String?
        let evidence: String?
        let action: String?
    }

    struct Choice: Encodable { let value: String; let label: String }

    struct MinePage: Encodable {
        let page: PageChrome
        let rows: [Row]?
        let cohorts: [Choice]
        let form: FormState
    }

    static func row(_ r: ExcuseRequest, who: String, evidence: String?, action: String?, _ t: Localizer) -> Row {
        Row(who: who, days: r.firstDay == r.lastDay ? r.firstDay : "\(r.firstDay) – \(r.lastDay)", reason: r.reason, status: t("excuse.\(r.status.rawValue)"),
            decision: r.decisionNote, evidence: r.evidenceName == nil ? nil : evidence, action: action)
    }

    @Sendable static func mine(_ req: Request) async throws -> Response {
        try await renderMine(req, form: .empty)
    }

    static func renderMine(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let cohorts = try await TrainingLookup.traineeCohorts(of: user.id, on: req.db)
        let requests = try await ExcuseRequest.query(on: req.db).filter(\.$trainee.$id == user.id).sort(\.$createdAt, .descending).all()
        return try await req.render("training/excuses", MinePage(
            page: PageChrome(req, title: t("excuses.title")),
            rows: requests.map { row($0, who: "", evidence: "/training/excuses/\($0.id!.uuidString.lowercased())/evidence", action: nil, t) }.nilIfEmpty,
            cohorts: cohorts.map { Choice(value: $0.0.id!.uuidString.lowercased(), label: "\($0.1.name) · \($0.0.name)") }, form: form), status: status)
    }

    @Sendable static func request(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        struct Fields: Decodable { let cohort: String?; let first_day: String?; let last_day: String?; let reason: String? }
        let fields = try? req.content.decode(Fields.self)
        let values = ["cohort": fields?.cohort ?? "", "first_day": fields?.first_day ?? "", "last_day": fields?.last_day ?? "", "reason": fields?.reason ?? ""]
        let t = req.localizer
        do {
            let draft = try ExcuseDraft.parse(values)
            guard let cohortID = UUID(uuidString: values["cohort"] ?? ""),
                  let cohort = try await TrainingLookup.traineeCohorts(of: user.id, on: req.db).first(where: { $0.0.id == cohortID })?.0 else {
                throw ValidationFailure([FieldIssue("cohort", .unknownChoice)])
            }
            var stored: DocumentStore.Stored?
            if let file = req.uploadedFile("evidence") {
                do {
                    stored = try DocumentStore(req.application).store(Data(file.data.readableBytesView), filename: file.filename)
                } catch let rejected as DocumentStore.Rejected {
                    throw TrainingError.fileRejected(t("upload.\(rejected.reason)"))
                }
            }
            _ = try await ExcuseService(database: req.db, actor: req.actor, now: req.now).request(draft, evidence: stored, trainee: user.id, cohort: cohort)
            return req.redirect(to: "/training/excuses", notice: "notice.excuse_requested")
        } catch let failure as ValidationFailure {
            return try await renderMine(req, form: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        } catch let error as TrainingError {
            return try await renderMine(req, form: FormState(values: values, errors: ["evidence": t(error.messageKey, error.messageArguments)], formError: t("error.validation")),
                                        status: error.status)
        }
    }

    /// The evidence, for the trainee who sent it and the cohort's staff.
    @Sendable static func evidence(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("excuse", as: UUID.self), let request = try await ExcuseRequest.query(on: req.db).filter(\.$id == id).with(\.$cohort).first()
        else { throw TrainingError.excuseNotFound }
        let scope = Scope.cohort(CohortID(request.$cohort.id), in: ProgrammeID(request.cohort.$programme.id))
        guard request.$trainee.id == user.id || user.policy.allows(.decideExcuses, in: scope) else { throw TrainingError.excuseNotFound }
        guard let storage = request.evidenceStorage, let name = request.evidenceName, let type = request.evidenceType,
              let response = DocumentStore(req.application).response(storageName: storage, filename: name, contentType: type) else {
            throw TrainingError.excuseNotFound
        }
        return response
    }

    struct ListPage: Encodable {
        let page: PageChrome
        let base: String
        let cohortName: String
        let pending: [Row]?
        let decided: [Row]?
        let error: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await renderList(req, try await TrainingLookup.cohort(req, .decideExcuses))
    }

    static func renderList(_ req: Request, _ ref: DirectoryLookup.CohortRef, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let base = TrainingLookup.base(ref)
        let requests = try await ExcuseRequest.query(on: req.db).filter(\.$cohort.$id == ref.id).with(\.$trainee).sort(\.$firstDay).all()
        let rows = requests.map { r in
            row(r, who: "\(r.trainee.name) (\(r.trainee.email))", evidence: "/training/excuses/\(r.id!.uuidString.lowercased())/evidence",
                action: r.status == .pending ? "\(base)/excuses/\(r.id!.uuidString.lowercased())" : nil, t)
        }
        return try await req.render("training/excuses_staff", ListPage(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("excuses.staff_title"))"), base: base, cohortName: ref.cohort.name,
            pending: rows.filter { $0.action != nil }.nilIfEmpty, decided: rows.filter { $0.action == nil }.nilIfEmpty, error: error), status: status)
    }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .decideExcuses)
        guard let id = req.parameters.get("excuse", as: UUID.self),
              let request = try await ExcuseRequest.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else {
            throw TrainingError.excuseNotFound
        }
        let values = try req.formValues()
        let rules = try await AttendanceRulesStore.current(of: ref.programme.id!, on: req.db).rules
        do {
            var reader = FieldReader(values)
            let note = reader.text("note", required: false, maxLength: 300)
            try reader.check()
            try await ExcuseService(database: req.db, actor: req.actor, now: req.now)
                .decide(request, approve: values["decision"] == "approve", note: note, rules: rules, cohort: ref.cohort, localizer: req.localizer)
        } catch let error as TrainingError {
            return try await renderList(req, ref, error: req.localizer(error.messageKey, error.messageArguments), status: error.status)
        } catch let failure as ValidationFailure {
            return try await renderList(req, ref, error: failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                        status: .unprocessableEntity)
        }
        return req.redirect(to: "\(TrainingLookup.base(ref))/excuses", notice: "notice.saved")
    }
}
