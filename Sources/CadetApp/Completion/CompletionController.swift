import CadetCore
import Fluent
import Vapor

/// A cohort's completion page: the rules, the latest run with the reason for every outcome,
/// overrides and departures, and the certificates issued from it.
enum CompletionController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "completion")
        c.get(use: show)
        c.post("rules", use: saveRules)
        c.post("run", use: run)
        c.post("trainees", ":trainee", "override", use: override)
        c.post("trainees", ":trainee", "departure", use: departure)
        c.post("awards", use: award)
        c.post("awards", ":award", "delete", use: withdrawAward)
    }

    struct AwardRow: Encodable { let name: String; let title: String; let day: String; let action: String }

    static func base(_ ref: DirectoryLookup.CohortRef) -> String { TrainingLookup.base(ref) + "/completion" }

    struct Check: Encodable { let label: String; let met: Bool; let text: String }

    struct Row: Encodable {
        let id: String
        let name: String
        let email: String
        let className: String
        let hours: String
        let computed: String
        let outcome: String
        let outcomeKey: String
        let overridden: String?
        let departure: String?
        let checks: [Check]
        let certificate: String?
    }

    struct Choice: Encodable { let value: String; let label: String }

    struct Page: Encodable {
        let page: PageChrome
        let cohortBase: String
        let base: String
        let cohortName: String
        let canManage: Bool
        let rules: [String: String]
        let rulesVersion: String
        let run: String?
        let counts: [Choice]?
        let changes: [String]?
        let rows: [Row]?
        let outcomes: [Choice]
        let departureKinds: [Choice]
        let certificates: CertificatesController.Listing?
        let awards: [AwardRow]?
        let trainees: [Choice]
        let error: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await TrainingLookup.cohort(req, .viewCompletion))
    }

    static func checkText(_ check: CompletionJudge.Check, _ t: Localizer) -> Check {
        let text: String
        switch check.rule {
        case .trainingOver: text = check.met ? t("completion.check.over") : t("completion.check.left", ["hours": Hours.text(check.reached)])
        case .attendance: text = t("completion.check.numbers", ["reached": String(format: "%.1f%%", Double(check.reached) / 10), "needed": String(format: "%.1f%%", Double(check.needed) / 10)])
        case .minimumHours: text = t("completion.check.numbers", ["reached": "\(Hours.text(check.reached)) h", "needed": "\(Hours.text(check.needed)) h"])
        }
        return Check(label: t("completion.rule.\(check.rule.rawValue)"), met: check.met, text: text)
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, changes: [String]? = nil, error: String? = nil,
                       rulesForm: [String: String]? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let canManage = try req.requireUser().policy.allows(.manageCompletion, in: ref.scope)
        let (version, rules) = try await CompletionService.rules(of: ref.id, on: req.db)
        let run = try await CompletionService.latestRun(of: ref.id, on: req.db)
        var rows: [Row] = []
        var counts: [CompletionOutcome: Int] = [:]
        if let run {
            let results = try await CompletionResult.query(on: req.db).filter(\.$run.$id == run.requireID()).with(\.$trainee).all()
            let departures = Dictionary(try await TraineeDeparture.query(on: req.db).filter(\.$cohort.$id == ref.id).all().map { ($0.$trainee.id, $0) }) { a, _ in a }
            let certificates = Dictionary(try await Certificate.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$status == .valid).all()
                .map { ($0.$trainee.id, $0.serial) }) { a, _ in a }
            for r in results.sorted(by: { ($0.className, $0.trainee.name) < ($1.className, $1.trainee.name) }) {
                counts[r.outcome, default: 0] += 1
                rows.append(Row(id: r.$trainee.id.uuidString.lowercased(), name: r.trainee.name, email: r.trainee.email, className: r.className,
                                hours: "\(Hours.text(r.attendedMinutes)) / \(Hours.text(r.plannedMinutes))", computed: t("completion.outcome.\(r.computed.rawValue)"),
                                outcome: t("completion.outcome.\(r.outcome.rawValue)"), outcomeKey: r.outcome.rawValue, overridden: r.overrideReason,
                                departure: departures[r.$trainee.id].map { "\(t("completion.outcome.\($0.kind.rawValue)")) \($0.day): \($0.reason)" },
                                checks: r.checks.map { checkText($0, t) }, certificate: certificates[r.$trainee.id]))
            }
        }
        let form = rulesForm ?? ["attendance_percent": String(Int((rules.attendanceShare * 100).rounded())), "minimum_hours": rules.minimumHours.map(String.init) ?? "",
                                 "signatories": rules.signatories.joined(separator: "\n")]
        return try await req.render("completion/cohort", Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("completion.title"))"), cohortBase: TrainingLookup.base(ref), base: base(ref),
            cohortName: ref.cohort.name, canManage: canManage, rules: form, rulesVersion: String(version),
            run: run.map { t("completion.run_line", ["number": String($0.number), "when": t.dateTime($0.ranAt), "by": $0.ranBy, "version": String($0.rulesVersion)]) },
            counts: run == nil ? nil : CompletionOutcome.allCases.map { Choice(value: String(counts[$0] ?? 0), label: t("completion.outcome.\($0.rawValue)")) },
            changes: changes, rows: rows.nilIfEmpty,
            outcomes: CompletionOutcome.allCases.map { Choice(value: $0.rawValue, label: t("completion.outcome.\($0.rawValue)")) },
            departureKinds: Departure.Kind.allCases.map { Choice(value: $0.rawValue, label: t("completion.outcome.\($0.rawValue)")) },
            certificates: run == nil ? nil : try await CertificatesController.listing(req, ref),
            awards: try await Award.query(on: req.db).filter(\.$cohort.$id == ref.id).with(\.$trainee).sort(\.$awardedOn).all().map {
                AwardRow(name: $0.trainee.name, title: $0.title, day: $0.awardedOn, action: "\(base(ref))/awards/\($0.id!.uuidString.lowercased())/delete")
            }.nilIfEmpty,
            trainees: try await ClassMember.query(on: req.db).filter(\.$cohort.$id == ref.id).with(\.$user).all().map(\.user)
                .sorted { $0.name < $1.name }.map { Choice(value: $0.id!.uuidString.lowercased(), label: "\($0.name) (\($0.email))") },
            error: error), status: status)
    }

    @Sendable static func saveRules(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let values = try req.formValues()
        do {
            let rules = try CompletionRules.parse(values)
            _ = try await CompletionService(database: req.db, actor: req.actor, now: req.now).saveRules(rules, for: ref)
        } catch let failure as ValidationFailure {
            return try await render(req, ref, error: failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                    rulesForm: values, status: .unprocessableEntity)
        }
        return req.redirect(to: base(ref), notice: "notice.saved")
    }

    @Sendable static func run(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let summary = try await CompletionService(database: req.db, actor: req.actor, now: req.now).run(ref)
        let t = req.localizer
        let names = Dictionary(try await User.query(on: req.db).filter(\.$id ~~ summary.changes.map(\.key)).all().map { ($0.id!, $0.name) }) { a, _ in a }
        let changes = summary.changes.sorted { (names[$0.key] ?? "") < (names[$1.key] ?? "") }.map { change in
            t("completion.change", ["name": names[change.key] ?? "", "before": change.before.map { t("completion.outcome.\($0.rawValue)") } ?? "—",
                                    "after": t("completion.outcome.\(change.after.rawValue)")])
        }
        return try await render(req, ref, changes: changes.isEmpty ? [t("completion.no_change")] : changes)
    }

    @Sendable static func override(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let service = CompletionService(database: req.db, actor: req.actor, now: req.now)
        let trainee = try await service.trainee(req.parameters.get("trainee", as: UUID.self), in: ref)
        let values = try req.formValues()
        do {
            if values["outcome"] == "rules" {
                var reader = FieldReader(values)
                let reason = reader.text("reason", minLength: 3, maxLength: 500)
                try reader.check()
                try await service.override(nil, reason: reason!, of: trainee, in: ref)
            } else {
                let decision = try CompletionOverride.parse(values)
                try await service.override(decision, reason: decision.reason, of: trainee, in: ref)
            }
        } catch let failure as ValidationFailure {
            return try await render(req, ref, error: "\(trainee.name): " + failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: base(ref), notice: "notice.completion_override")
    }

    @Sendable static func departure(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let service = CompletionService(database: req.db, actor: req.actor, now: req.now)
        let trainee = try await service.trainee(req.parameters.get("trainee", as: UUID.self), in: ref)
        let values = try req.formValues()
        do {
            if values["kind"] == "none" {
                var reader = FieldReader(values)
                let reason = reader.text("reason", minLength: 3, maxLength: 500)
                try reader.check()
                try await service.clearDeparture(of: trainee, in: ref, reason: reason!)
            } else {
                try await service.recordDeparture(try Departure.parse(values), of: trainee, in: ref)
            }
        } catch let failure as ValidationFailure {
            return try await render(req, ref, error: "\(trainee.name): " + failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: base(ref), notice: "notice.completion_override")
    }

    @Sendable static func award(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let service = CompletionService(database: req.db, actor: req.actor, now: req.now)
        let values = try req.formValues()
        let trainee = try await service.trainee(values["trainee"].flatMap(UUID.init(uuidString:)), in: ref)
        do {
            try await service.award(try AwardDraft.parse(values), to: trainee, in: ref)
        } catch let failure as ValidationFailure {
            return try await render(req, ref, error: "\(trainee.name): " + failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: base(ref), notice: "notice.saved")
    }

    @Sendable static func withdrawAward(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        guard let id = req.parameters.get("award", as: UUID.self),
              let award = try await Award.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else {
            throw CompletionError.awardNotFound
        }
        try await CompletionService(database: req.db, actor: req.actor, now: req.now).withdraw(award, in: ref)
        return req.redirect(to: base(ref), notice: "notice.saved")
    }
}
