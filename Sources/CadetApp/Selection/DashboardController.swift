import CadetCore
import Fluent
import Vapor

/// A round's dashboard: applications per day, the competition ratio as the round went, the
/// breakdowns the funder asks for and the funnel, as SVG drawn on the server with the numbers beside.
enum DashboardController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("programmes", ":programme", "cohorts", ":cohort", "dashboard", use: show)
    }

    struct Chart: Encodable {
        let title: String
        let svg: String
        let rows: [SVGCharts.Bar]
    }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let capacity: Int
        let applicants: Int
        let ratio: String
        let capitalArea: Int
        let perDay: String
        let ratioChart: String
        let charts: [Chart]
        let reportLink: String
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await PipelineController.staffRound(req)
        let t = req.localizer
        let report = try await RecruitmentReportQueries.report(round: ref.round, zone: t.timeZone, on: req.db)
        func bars(_ counts: [String: Int], order: [String], label: (String) -> String) -> [SVGCharts.Bar] {
            order.map { SVGCharts.Bar(label: label($0), value: counts[$0] ?? 0) }
        }
        let regionOrder = Region.allCases.map(\.rawValue)
        var charts: [Chart] = []
        func add(_ title: String, _ rows: [SVGCharts.Bar]) {
            charts.append(Chart(title: title, svg: SVGCharts.bars(rows, title: title), rows: rows))
        }
        add(t("dashboard.by_region"), bars(report.byRegion, order: regionOrder) { key in
            Region(rawValue: key).map { t.locale == .korean ? $0.koreanName : $0.englishName } ?? key
        })
        add(t("dashboard.by_gender"), bars(report.byGender, order: Gender.allCases.map(\.rawValue) + ["unknown"]) { t("gender.\($0)") })
        add(t("dashboard.by_age"), bars(report.byAgeBand, order: AgeBand.allCases.map(\.rawValue) + ["unknown"]) { t("age.\($0)") })
        add(t("dashboard.by_major"), bars(report.byMajorField, order: MajorField.allCases.map(\.rawValue) + ["unknown"]) { t("major.\($0)") })
        add(t("dashboard.by_education"), bars(report.byEducation, order: Education.allCases.map(\.rawValue) + ["unknown"]) { t("education.\($0)") })
        add(t("dashboard.by_employment"), bars(report.byEmploymentStatus, order: EmploymentStatus.allCases.map(\.rawValue) + ["unknown"]) { t("employment.\($0)") })
        add(t("dashboard.funnel"), report.reached.map { SVGCharts.Bar(label: t("stage.\($0.0.rawValue)"), value: $0.1) })

        let days = report.applicationsPerDay.sorted { $0.key < $1.key }
        var running = 0
        let ratioPoints = days.map { day -> SVGCharts.Point in
            running += day.value
            return SVGCharts.Point(label: day.key, value: RecruitmentReport.ratio(applicants: running, capacity: report.capacity))
        }
        let page = Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("dashboard.title"))"), base: ref.base, capacity: report.capacity,
            applicants: report.applicants, ratio: String(format: "%.2f : 1", report.competitionRatio), capitalArea: report.capitalArea,
            perDay: SVGCharts.columns(days.map { SVGCharts.Bar(label: $0.key, value: $0.value) }, title: t("dashboard.per_day")),
            ratioChart: SVGCharts.line(ratioPoints, title: t("dashboard.ratio_over_time")),
            charts: charts, reportLink: "\(ref.base)/applicants/export.csv")
        return try await req.render("dashboard/index", page)
    }
}
