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

/// Small server-drawn SVG charts: readable without JavaScript, with an accessible title, and
/// always next to a table of the same numbers.
enum SVGCharts {
    struct Bar: Encodable { let label: String; let value: Int }
    struct Point { let label: String; let value: Double }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Horizontal bars, one per row, with the number at the end of each.
    static func bars(_ rows: [Bar], title: String) -> String {
        let width = 560, labelWidth = 170, row = 22
        let height = max(row, rows.count * row) + 8
        let top = max(1, rows.map(\.value).max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\"><title>\(escape(title))</title>"
        for (i, bar) in rows.enumerated() {
            let y = i * row + 4
            let length = Int(Double(width - labelWidth - 60) * Double(bar.value) / Double(top))
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"label\">\(escape(bar.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, bar.value > 0 ? 1 : 0))\" height=\"\(row - 8)\" class=\"bar\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" class=\"value\">\(bar.value)</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical columns over time, labelled at the first and last day.
    static func columns(_ rows: [Bar], title: String) -> String {
        let width = 560, height = 160, bottom = 130
        guard !rows.isEmpty else { return "" }
        let top = max(1, rows.map(\.value).max() ?? 1)
        let step = Double(width - 40) / Double(rows.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\"><title>\(escape(title))</title>"
        for (i, bar) in rows.enumerated() {
            let h = Double(bottom - 10) * Double(bar.value) / Double(top)
            svg += "<rect x=\(quote(20 + Double(i) * step)) y=\(quote(Double(bottom) - h)) width=\(quote(max(1, step - 2))) height=\(quote(h)) class=\"bar\"><title>\(escape(bar.label)): \(bar.value)</title></rect>"
        }
        svg += "<text x=\"20\" y=\"\(bottom + 18)\" class=\"label\">\(escape(rows.first!.label))</text>"
        svg += "<text x=\"\(width - 20)\" y=\"\(bottom + 18)\" text-anchor=\"end\" class=\"label\">\(escape(rows.last!.label))</text>"
        svg += "<text x=\"20\" y=\"12\" class=\"value\">\(top)</text>"
        return svg + "</svg>"
    }

    /// A line rising with the round: the competition ratio as applications came in.
    static func line(_ points: [Point], title: String) -> String {
        let width = 560, height = 160, bottom = 130
        guard points.count > 0 else { return "" }
        let top = max(0.01, points.map(\.value).max() ?? 1)
        let step = points.count > 1 ? Double(width - 60) / Double(points.count - 1) : 0
        let coordinates = points.enumerated().map { i, p in
            String(format: "%.1f,%.1f", 30 + Double(i) * step, Double(bottom) - Double(bottom - 10) * p.value / top)
        }.joined(separator: " ")
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\"><title>\(escape(title))</title>"
        svg += "<polyline points=\"\(coordinates)\" class=\"line\"/>"
        svg += "<text x=\"30\" y=\"\(bottom + 18)\" class=\"label\">\(escape(points.first!.label))</text>"
        svg += "<text x=\"\(width - 30)\" y=\"\(bottom + 18)\" text-anchor=\"end\" class=\"label\">\(escape(points.last!.label))</text>"
        svg += "<text x=\"\(width - 30)\" y=\"12\" text-anchor=\"end\" class=\"value\">\(String(format: "%.2f : 1", points.last!.value))</text>"
        return svg + "</svg>"
    }

    private static func quote(_ value: Double) -> String {
        "\"" + String(format: "%.1f", value) + "\""
    }
}
