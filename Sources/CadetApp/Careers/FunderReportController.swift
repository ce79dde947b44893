import CadetCore
import Fluent
import Vapor

/// The funder's report of a programme, or of one cohort (`?cohort=c1`): a page with server-drawn
/// charts and the numbers beside them, and the same figures as CSV (with BOM), JSON and PDF.
enum FunderReportController {
    static func register(_ routes: any RoutesBuilder) {
        let r = routes.grouped("programmes", ":programme")
        r.get("report", use: show)
        r.get("report.csv", use: csv)
        r.get("report.json", use: json)
        r.get("report.pdf", use: pdf)
        r.post("report", "home-region", use: setHomeRegion)
    }

    struct Chart: Encodable {
        let title: String
        let svg: String
        let rows: [SVGCharts.Bar]
    }

    struct CohortChoice: Encodable { let slug: String; let name: String; let selected: Bool }
    struct RegionChoice: Encodable { let value: String; let label: String; let selected: Bool }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let query: String
        let programmeName: String
        let cohorts: [CohortChoice]
        let table: FunderReportTable
        let charts: [Chart]
        let regions: [RegionChoice]?
        let homeRegionUnset: Bool
    }

    /// The programme (checked for the permission) and the cohorts the report covers.
    static func scope(_ req: Request) async throws -> (DirectoryLookup.ProgrammeRef, [Cohort]) {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.viewFunderReport, in: ref.scope)
        let all = try await Cohort.query(on: req.db).filter(\.$programme.$id == ref.id).sort(\.$startsOn).all()
        let wanted = req.queryText("cohort", limit: 64)
        guard !wanted.isEmpty else { return (ref, all) }
        guard let one = all.first(where: { $0.slug == wanted }) else { throw DirectoryError.cohortNotFound }
        return (ref, [one])
    }

    static func report(_ req: Request) async throws -> (DirectoryLookup.ProgrammeRef, [Cohort], FunderReport) {
        let (ref, cohorts) = try await scope(req)
        return (ref, cohorts, try await FunderReportQueries.report(ref.programme, cohorts: cohorts, zone: req.localizer.timeZone, on: req.db))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (ref, cohorts, report) = try await report(req)
        let t = req.localizer
        let user = try req.requireUser()
        let all = try await Cohort.query(on: req.db).filter(\.$programme.$id == ref.id).sort(\.$startsOn).all()
        let single = cohorts.count == 1 && all.count > 1 ? cohorts[0].slug : nil
        let canManage = user.policy.allows(.manageOutcomes, in: ref.scope)
        let regions = canManage ? Region.allCases.map {
            RegionChoice(value: $0.rawValue, label: t.locale == .korean ? $0.koreanName : $0.englishName, selected: $0 == report.homeRegion)
        } : nil
        let page = Page(
            page: PageChrome(req, title: "\(ref.programme.name) · \(t("report.title"))"), base: "/programmes/\(ref.programme.slug)",
            query: single.map { "?cohort=\($0)" } ?? "", programmeName: ref.programme.name,
            cohorts: all.map { CohortChoice(slug: $0.slug, name: $0.name, selected: $0.slug == single) },
            table: FunderReportTable(report, t), charts: charts(report, t), regions: regions, homeRegionUnset: report.homeRegion == nil)
        return try await req.render("careers/report", page)
    }

    static func charts(_ report: FunderReport, _ t: Localizer) -> [Chart] {
        var charts: [Chart] = []
        func add(_ title: String, _ rows: [SVGCharts.Bar]) {
            charts.append(Chart(title: title, svg: SVGCharts.bars(rows, title: title), rows: rows))
        }
        for cohort in report.cohorts {
            add(t("report.funnel_of", ["cohort": cohort.name]), funnel(cohort).map { SVGCharts.Bar(label: t("report.step.\($0.step)"), value: $0.count) })
        }
        let home = report.homeRegion.map { t.locale == .korean ? $0.koreanName : $0.englishName } ?? t("report.home_region_unset")
        add(t("report.applicants_by_area"), report.cohorts.flatMap { c in [
            SVGCharts.Bar(label: "\(c.name) · \(home)", value: c.applicants.homeRegion),
            SVGCharts.Bar(label: "\(c.name) · \(t("report.capital_area"))", value: c.applicants.capitalArea),
            SVGCharts.Bar(label: "\(c.name) · \(t("report.other_regions"))", value: c.applicants.otherRegions),
        ] })
        func summed(_ pick: (FunderReport.Applicants) -> [String: Int]) -> [String: Int] {
            report.cohorts.map { pick($0.applicants) }.reduce(into: [:]) { total, next in total.merge(next, uniquingKeysWith: +) }
        }
        func bars(_ counts: [String: Int], _ order: [String], _ label: (String) -> String) -> [SVGCharts.Bar] {
            order.map { SVGCharts.Bar(label: label($0), value: counts[$0] ?? 0) }
        }
        add(t("dashboard.by_age"), bars(summed(\.byAgeBand), AgeBand.allCases.map(\.rawValue) + ["unknown"]) { t("age.\($0)") })
        add(t("dashboard.by_gender"), bars(summed(\.byGender), Gender.allCases.map(\.rawValue) + ["unknown"]) { t("gender.\($0)") })
        add(t("dashboard.by_major"), bars(summed(\.byMajorField), MajorField.allCases.map(\.rawValue) + ["unknown"]) { t("major.\($0)") })
        add(t("dashboard.by_education"), bars(summed(\.byEducation), Education.allCases.map(\.rawValue) + ["unknown"]) { t("education.\($0)") })
        add(t("dashboard.by_employment"), bars(summed(\.byEmploymentStatus), EmploymentStatus.allCases.map(\.rawValue) + ["unknown"]) { t("employment.\($0)") })
        return charts
    }

    /// A cohort's funnel, step by step (each step's label is `report.step.<step>`).
    static func funnel(_ cohort: FunderReport.Cohort) -> [(step: String, count: Int)] {
        [("applicants", cohort.applicants.total), ("admitted", cohort.admitted), ("trainees", cohort.trainees),
         ("completers", cohort.completers), ("placed", cohort.current?.placed ?? 0)]
    }

    static func filename(_ ref: DirectoryLookup.ProgrammeRef, _ cohorts: [Cohort], _ ext: String) -> String {
        "\(ref.programme.slug)\(cohorts.count == 1 ? "-" + cohorts[0].slug : "")-funder-report.\(ext)"
    }

    static func exported(_ req: Request, _ ref: DirectoryLookup.ProgrammeRef, _ cohorts: [Cohort], format: String) async throws {
        try await AuditLog.record(AuditEntry(action: "careers.report_exported", entityType: "programme", entityID: ref.id,
                                             summary: "\(format): \(cohorts.map(\.slug).joined(separator: ", "))", programmeID: ref.id), by: req.actor, on: req.db)
    }

    @Sendable static func csv(_ req: Request) async throws -> Response {
        let (ref, cohorts, report) = try await report(req)
        try await exported(req, ref, cohorts, format: "csv")
        return FileResponse.csv(header: FunderReport.columns, rows: report.rows, filename: filename(ref, cohorts, "csv"))
    }

    @Sendable static func json(_ req: Request) async throws -> Response {
        let (ref, cohorts, report) = try await report(req)
        try await exported(req, ref, cohorts, format: "json")
        return FileResponse.json(try FunderReportDocument.json(report), filename: filename(ref, cohorts, "json"))
    }

    @Sendable static func pdf(_ req: Request) async throws -> Response {
        let (ref, cohorts, report) = try await report(req)
        try await exported(req, ref, cohorts, format: "pdf")
        let data = FunderReportDocument(report: report, generatedOn: CalendarDate(req.now, in: req.localizer.timeZone)).pdf()
        return FileResponse.attachment(.init(data: data), type: HTTPMediaType(type: "application", subType: "pdf"), filename: filename(ref, cohorts, "pdf"))
    }

    @Sendable static func setHomeRegion(_ req: Request) async throws -> Response {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.manageOutcomes, in: ref.scope)
        var reader = FieldReader(try req.formValues())
        let region = reader.choice("home_region", as: Region.self)
        try reader.check()
        try await OutcomeService(database: req.db, actor: req.actor, now: req.now).setHomeRegion(region!, of: ref.programme)
        return req.redirect(to: "/programmes/\(ref.programme.slug)/report", notice: "notice.saved")
    }
}
