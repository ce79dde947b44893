import CadetCore
import Fluent
import Vapor

/// The hours ledger: a cohort's trainees for those who teach it (with the at-risk list and a CSV
/// export), and each trainee's own standing with the forecast.
enum LedgerController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort")
        c.get("ledger", use: cohort)
        c.get("ledger.csv", use: csv)
        c.get("at-risk", use: atRisk)
        routes.get("training", use: mine)
    }

    struct Row: Encodable {
        let name: String
        let email: String
        let className: String
        let planned: String
        let delivered: String
        let attended: String
        let rate: String
        let absences: String
        let lapses: String
        let missable: String
        let warnings: [String]?
    }

    static func row(_ entry: LedgerQueries.Entry, cohort: Cohort, _ t: Localizer) -> Row {
        let l = entry.ledger
        return Row(name: entry.trainee.name, email: entry.trainee.email, className: entry.trainee.className, planned: Hours.text(l.total.planned),
                   delivered: Hours.text(l.total.delivered), attended: Hours.text(l.total.attended), rate: Hours.percent(l.total.rate),
                   absences: String(l.absences), lapses: String(l.lapses), missable: Hours.text(l.missableMinutes),
                   warnings: l.warnings.sorted().map { AttendanceWarnings.message($0, entry: entry, cohort: cohort, t) }.nilIfEmpty)
    }

    /// A class's totals: the sum of its trainees' hours, so the rate is the class's share of
    /// recorded hours attended, not an average of rates.
    struct ClassSummary: Encodable {
        let name: String
        let trainees: String
        let planned: String
        let attended: String
        let rate: String
        let completing: String
        let atRisk: String

        static func of(_ entries: [LedgerQueries.Entry]) -> [ClassSummary] {
            Dictionary(grouping: entries, by: \.trainee.className).sorted { $0.key < $1.key }.map { name, members in
                let planned = members.reduce(0) { $0 + $1.ledger.total.planned }
                let recorded = members.reduce(0) { $0 + $1.ledger.total.recorded }
                let attended = members.reduce(0) { $0 + $1.ledger.total.attended }
                return ClassSummary(name: name, trainees: String(members.count), planned: Hours.text(planned), attended: Hours.text(attended),
                                    rate: Hours.percent(recorded > 0 ? Double(attended) / Double(recorded) : nil),
                                    completing: String(members.filter { $0.ledger.missableMinutes >= 0 }.count),
                                    atRisk: String(members.filter { !$0.ledger.warnings.isEmpty }.count))
            }
        }
    }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let cohortName: String
        let rulesVersion: String
        let rows: [Row]?
        let classes: [ClassSummary]?
        let completing: String
        let total: String
    }

    static func ledgers(_ req: Request, _ ref: DirectoryLookup.CohortRef) async throws -> ([LedgerQueries.Entry], Int) {
        let (version, rules) = try await AttendanceRulesStore.current(of: ref.programme.id!, on: req.db)
        let classID = req.queryText("class", limit: 40).nonEmpty.flatMap(UUID.init(uuidString:))
        return (try await LedgerQueries(database: req.db, now: req.now).ledgers(of: ref.cohort, rules: rules, classID: classID), version)
    }

    @Sendable static func cohort(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewLedger)
        let (entries, version) = try await ledgers(req, ref)
        return try await render(req, ref, entries: entries, version: version, title: req.localizer("ledger.title"))
    }

    @Sendable static func atRisk(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewLedger)
        let (entries, version) = try await ledgers(req, ref)
        let risky = entries.filter { !$0.ledger.warnings.isEmpty }.sorted { $0.ledger.missableMinutes < $1.ledger.missableMinutes }
        return try await render(req, ref, entries: risky, all: entries, version: version, title: req.localizer("at_risk.title"))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, entries: [LedgerQueries.Entry], all: [LedgerQueries.Entry]? = nil,
                       version: Int, title: String) async throws -> Response {
        let t = req.localizer
        let everyone = all ?? entries
        let completing = everyone.filter { $0.ledger.missableMinutes >= 0 }.count
        return try await req.render("training/ledger", Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(title)"), base: TrainingLookup.base(ref), cohortName: ref.cohort.name,
            rulesVersion: String(version), rows: entries.map { row($0, cohort: ref.cohort, t) }.nilIfEmpty,
            classes: all == nil ? ClassSummary.of(everyone).nilIfEmpty : nil,
            completing: String(completing), total: String(everyone.count)))
    }

    /// One row per trainee, and per course, in a spreadsheet with Korean intact.
    @Sendable static func csv(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewLedger)
        let (entries, version) = try await ledgers(req, ref)
        let courses = Array(Set(entries.flatMap { $0.ledger.byCourse.keys })).sorted()
        let header = ["name", "email", "class", "planned_hours", "delivered_hours", "attended_hours", "attendance_rate", "absent_days", "lapses",
                      "missable_hours", "completes", "allowance_krw", "warnings", "rules_version"] + courses.map { "attended_hours:\($0)" }
        let rows = entries.map { e -> [String] in
            let l = e.ledger
            let fixed: [String] = [e.trainee.name, e.trainee.email, e.trainee.className, Hours.text(l.total.planned), Hours.text(l.total.delivered),
                                   Hours.text(l.total.attended), l.total.rate.map { String(format: "%.4f", $0) } ?? "", String(l.absences), String(l.lapses),
                                   Hours.text(l.missableMinutes), l.completed ? "yes" : (l.missableMinutes < 0 ? "no" : "pending"),
                                   l.allowanceTotal.map(String.init) ?? "", l.warnings.sorted().map(\.key).joined(separator: " "), String(version)]
            return fixed + courses.map { Hours.text(l.byCourse[$0]?.attended ?? 0) }
        }
        try await AuditLog.record(AuditEntry(action: "attendance.exported", entityType: "cohort", entityID: ref.id, summary: "\(rows.count) rows",
                                             programmeID: ref.programme.id, cohortID: ref.id), by: req.actor, on: req.db)
        return FileResponse.csv(header: header, rows: rows, filename: "\(ref.programme.slug)-\(ref.cohort.slug)-hours.csv")
    }

    struct Tally: Encodable { let name: String; let planned: String; let delivered: String; let attended: String; let rate: String }
    struct Period: Encodable { let number: String; let range: String; let days: String; let absences: String; let lapses: String; let allowance: String? }
    struct Mark: Encodable { let day: String; let course: String; let status: String; let minutes: String }

    struct Standing: Encodable {
        let cohort: String
        let className: String
        let total: Tally
        let forecast: String
        let warnings: [String]?
        /// Only when the cohort's courses fall into more than one phase.
        let phases: [Tally]?
        let courses: [Tally]
        let periods: [Period]
        let recent: [Mark]?
        let allowance: String?
    }

    struct MinePage: Encodable {
        let page: PageChrome
        let standings: [Standing]?
    }

    /// The trainee's own ledger, for every cohort they are in.
    @Sendable static func mine(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        var standings: [Standing] = []
        for (cohort, programme, trainingClass) in try await TrainingLookup.traineeCohorts(of: user.id, on: req.db) {
            let rules = try await AttendanceRulesStore.current(of: programme.id!, on: req.db).rules
            guard let entry = try await LedgerQueries(database: req.db, now: req.now).ledgers(of: cohort, rules: rules, trainee: user.id).first else { continue }
            let l = entry.ledger
            func tally(_ name: String, _ x: HoursLedger.Tally) -> Tally {
                Tally(name: name, planned: Hours.text(x.planned), delivered: Hours.text(x.delivered), attended: Hours.text(x.attended), rate: Hours.percent(x.rate))
            }
            let forecast = l.missableMinutes >= 0
                ? t(l.remainingMinutes + l.pendingMinutes > 0 ? "ledger.forecast_can_miss" : "ledger.forecast_done", ["hours": Hours.text(l.missableMinutes)])
                : t("ledger.forecast_cannot", ["hours": Hours.text(-l.missableMinutes)])
            let marks = try await recentMarks(user.id, cohort: cohort, t, req)
            standings.append(Standing(
                cohort: "\(programme.name) · \(cohort.name)", className: trainingClass.name, total: tally(t("ledger.total"), l.total), forecast: forecast,
                warnings: l.warnings.sorted().map { AttendanceWarnings.message($0, entry: entry, cohort: cohort, t) }.nilIfEmpty,
                phases: l.byPhase.count > 1 ? l.byPhase.sorted { $0.key < $1.key }.map { tally($0.key.isEmpty ? t("ledger.no_phase") : $0.key, $0.value) } : nil,
                courses: l.byCourse.sorted { $0.key < $1.key }.map { tally($0.key, $0.value) },
                periods: l.periods.map { p in Period(number: String(p.index + 1), range: "\(p.start.iso) – \(p.end.iso)", days: "\(p.recordedDays)/\(p.plannedDays)",
                                                     absences: String(p.absences), lapses: String(p.lapses), allowance: p.allowance.map(Money.krw)) },
                recent: marks.nilIfEmpty, allowance: l.allowanceTotal.map(Money.krw)))
        }
        return try await req.render("training/mine", MinePage(page: PageChrome(req, title: t("ledger.mine_title")), standings: standings.nilIfEmpty))
    }

    static func recentMarks(_ trainee: UUID, cohort: Cohort, _ t: Localizer, _ req: Request) async throws -> [Mark] {
        let records = try await AttendanceRecord.query(on: req.db).filter(\.$trainee.$id == trainee)
            .join(TrainingSession.self, on: \AttendanceRecord.$session.$id == \TrainingSession.$id)
            .filter(TrainingSession.self, \.$cohort.$id == cohort.requireID())
            .sort(TrainingSession.self, \.$startsAt, .descending).limit(10).with(\.$session) { $0.with(\.$course) }.all()
        return records.map { r in
            Mark(day: r.session.day, course: r.session.course.name, status: t("attendance.\(r.status.rawValue)"), minutes: Hours.text(r.attendedMinutes))
        }
    }
}
