import CadetCore
import Fluent
import Vapor

/// A cohort's graduates and where they went: the list with the funder's rate, one graduate's
/// outcome form, snapshots frozen for the funder, and a CSV of the list.
enum OutcomesController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "outcomes")
        c.get(use: list)
        c.get("csv", use: csv)
        c.post("snapshots", use: freeze)
        c.get(":trainee", use: form)
        c.on(.POST, ":trainee", body: .collect(maxSize: "12mb"), use: save)
        c.get(":trainee", "evidence", use: evidence)
    }

    static func base(_ ref: DirectoryLookup.CohortRef) -> String { TrainingLookup.base(ref) + "/outcomes" }

    struct Row: Encodable {
        let id: String
        let name: String
        let email: String
        let statusKey: String
        let status: String
        let organisation: String
        let cirr: String
        let verified: Bool
    }

    struct Snapshot: Encodable { let point: String; let takenOn: String; let takenBy: String; let placed: String }
    struct Choice: Encodable { let value: String; let label: String }

    struct ListPage: Encodable {
        let page: PageChrome
        let cohortBase: String
        let cohortName: String
        let base: String
        let rows: [Row]?
        let summary: String?
        let snapshots: [Snapshot]?
        let points: [Choice]?
        let allPoints: [Choice]
        let reportLink: String
    }

    /// Graduates of the latest completion run with their outcome (nil: none recorded yet).
    static func graduates(_ ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> [(User, GraduateOutcome?)] {
        let ids = try await OutcomeService.graduates(of: ref.id, on: db)
        guard !ids.isEmpty else { return [] }
        let users = try await User.query(on: db).filter(\.$id ~~ ids).all()
        let outcomes = Dictionary(try await GraduateOutcome.query(on: db).filter(\.$cohort.$id == ref.id).all().map { ($0.$trainee.id, $0) }) { a, _ in a }
        return users.sorted { ($0.name, $0.email) < ($1.name, $1.email) }.map { ($0, outcomes[$0.id!]) }
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        let t = req.localizer
        let graduates = try await graduates(ref, on: req.db)
        let rows = graduates.map { user, outcome in
            let status = outcome?.status ?? .notReporting
            return Row(id: user.id!.uuidString.lowercased(), name: user.name, email: user.email, statusKey: status.rawValue, status: t("outcome.\(status.rawValue)"),
                       organisation: outcome?.organisation ?? "", cirr: (outcome?.cirr ?? .c4B).rawValue, verified: outcome?.verified ?? false)
        }
        let report = try await FunderReportQueries.cohort(ref, home: nil, zone: t.timeZone, on: req.db)
        let summary = report.current.map {
            t("outcomes.summary", ["placed": $0.placed.grouped, "completers": $0.completers.grouped, "rate": $0.employmentRate.map { String(format: "%.1f", $0) } ?? "—"])
        }
        let taken = try await OutcomeSnapshot.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$takenOn).all()
        let snapshots = taken.map { snapshot in
            let figures = report.outcomes.first { $0.label == snapshot.point.rawValue }
            return Snapshot(point: t("snapshot.\(snapshot.point.rawValue)"), takenOn: snapshot.takenOn, takenBy: snapshot.takenBy,
                            placed: figures.map { "\($0.placed.grouped) / \($0.completers.grouped) (\($0.employmentRate.map { String(format: "%.1f%%", $0) } ?? "—"))" } ?? "")
        }
        let open = SnapshotPoint.allCases.filter { point in !taken.contains { $0.point == point } }
        return try await req.render("careers/outcomes", ListPage(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("outcomes.title"))"), cohortBase: TrainingLookup.base(ref), cohortName: ref.cohort.name,
            base: base(ref), rows: rows.nilIfEmpty, summary: rows.isEmpty ? nil : summary, snapshots: snapshots.nilIfEmpty,
            points: rows.isEmpty ? nil : open.map { Choice(value: $0.rawValue, label: t("snapshot.\($0.rawValue)")) }.nilIfEmpty,
            allPoints: SnapshotPoint.allCases.filter { $0 != .completion }.map { Choice(value: $0.rawValue, label: t("snapshot.\($0.rawValue)")) },
            reportLink: "/programmes/\(ref.programme.slug)/report?cohort=\(ref.cohort.slug)"))
    }

    struct FormPage: Encodable {
        let page: PageChrome
        let base: String
        let action: String
        let name: String
        let email: String
        let form: FormState
        let statuses: [Choice]
        let paths: [Choice]
        let types: [Choice]
        let bands: [Choice]
        let evidence: String?
    }

    static func values(_ draft: OutcomeDraft?) -> [String: String] {
        guard let draft else { return ["status": OutcomeStatus.notReporting.rawValue] }
        var values = ["status": draft.status.rawValue]
        values["chosen_path"] = draft.chosenPath?.rawValue
        values["organisation"] = draft.organisation
        values["role"] = draft.role
        values["started_on"] = draft.startedOn?.iso
        values["employment_type"] = draft.employmentType?.rawValue
        values["salary_band"] = draft.salaryBand?.rawValue
        if draft.inField { values["in_field"] = "on" }
        if draft.verified { values["verified"] = "on" }
        return values
    }

    static func renderForm(_ req: Request, _ ref: DirectoryLookup.CohortRef, _ graduate: User, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let current = try await GraduateOutcome.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == graduate.requireID()).first()
        return try await req.render("careers/outcome", FormPage(
            page: PageChrome(req, title: "\(graduate.name) · \(t("outcomes.title"))"), base: base(ref), action: "\(base(ref))/\(graduate.id!.uuidString.lowercased())",
            name: graduate.name, email: graduate.email, form: form,
            statuses: OutcomeStatus.allCases.map { Choice(value: $0.rawValue, label: t("outcome.\($0.rawValue)")) },
            paths: ChosenPath.allCases.map { Choice(value: $0.rawValue, label: t("path.\($0.rawValue)")) },
            types: EmploymentType.allCases.map { Choice(value: $0.rawValue, label: t("employment_type.\($0.rawValue)")) },
            bands: SalaryBand.allCases.map { Choice(value: $0.rawValue, label: t("salary_band.\($0.rawValue)")) },
            evidence: current?.evidenceName), status: status)
    }

    @Sendable static func form(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        let service = OutcomeService(database: req.db, actor: req.actor, now: req.now)
        let graduate = try await service.graduate(req.parameters.get("trainee", as: UUID.self), in: ref)
        let outcome = try await GraduateOutcome.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == graduate.requireID()).first()
        return try await renderForm(req, ref, graduate, form: FormState(values: values(outcome?.draft), errors: [:], formError: nil))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        let service = OutcomeService(database: req.db, actor: req.actor, now: req.now)
        let graduate = try await service.graduate(req.parameters.get("trainee", as: UUID.self), in: ref)
        let values = (try? req.content.decode(Fields.self))?.values ?? [:]
        let store = DocumentStore(req.application)
        var stored: DocumentStore.Stored?
        do {
            let draft = try OutcomeDraft.parse(values)
            if let file = req.uploadedFile("evidence") {
                do {
                    stored = try store.store(Data(file.data.readableBytesView), filename: file.filename)
                } catch let rejected as DocumentStore.Rejected {
                    let t = req.localizer
                    return try await renderForm(req, ref, graduate, form: FormState(values: values, errors: ["evidence": t("upload.\(rejected.reason)")],
                                                                                   formError: t("error.validation")), status: .unprocessableEntity)
                }
            }
            if let replaced = try await service.save(draft, of: graduate, in: ref, evidence: stored) { store.remove(replaced) }
        } catch let failure as ValidationFailure {
            return try await renderForm(req, ref, graduate, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        } catch {
            // Nothing was saved: the file must not stay behind.
            if let stored { store.remove(stored.storageName) }
            throw error
        }
        return req.redirect(to: base(ref), notice: "notice.saved")
    }

    @Sendable static func freeze(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        var reader = FieldReader(try req.formValues())
        let point = reader.choice("point", as: SnapshotPoint.self)
        try reader.check()
        try await OutcomeService(database: req.db, actor: req.actor, now: req.now).freeze(point!, in: ref, on: CalendarDate(req.now, in: req.localizer.timeZone))
        return req.redirect(to: base(ref), notice: "notice.snapshot_frozen")
    }

    /// Every graduate's outcome for the academy's own records (salary bands included, so only
    /// those who manage outcomes may take it).
    @Sendable static func csv(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        let header = ["name", "email", "status", "cirr", "chosen_path", "organisation", "role", "started_on", "in_field", "employment_type", "salary_band", "verified",
                      "evidence"]
        let rows = try await graduates(ref, on: req.db).map { user, o in
            [user.name, user.email, (o?.status ?? .notReporting).rawValue, (o?.cirr ?? .c4B).rawValue, o?.chosenPath?.rawValue ?? "", o?.organisation ?? "",
             o?.role ?? "", o?.startedOn ?? "", o?.inField == true ? "yes" : "no", o?.employmentType?.rawValue ?? "", o?.salaryBand?.rawValue ?? "",
             o?.verified == true ? "yes" : "no", o?.evidenceName ?? ""]
        }
        try await AuditLog.record(AuditEntry(action: "careers.outcomes_exported", entityType: "cohort", entityID: ref.id, summary: "\(rows.count) graduates",
                                             programmeID: ref.programme.id, cohortID: ref.id), by: req.actor, on: req.db)
        return FileResponse.csv(header: header, rows: rows, filename: "\(ref.programme.slug)-\(ref.cohort.slug)-outcomes.csv")
    }
}
