import CadetCore
import Foundation

/// The funder's report laid out for people, in their language: one row per figure, one column
/// per cohort and the programme's total. The page and the PDF both draw this table.
struct FunderReportTable: Encodable {
    struct Row: Encodable {
        let key: String
        let label: String
        let values: [String]
    }

    let columns: [String]
    let rows: [Row]

    init(_ report: FunderReport, _ t: Localizer) {
        let cohorts = report.cohorts
        let total = report.totals
        let showTotal = cohorts.count > 1
        columns = cohorts.map(\.name) + (showTotal ? [t("report.total")] : [])
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0) } ?? "—" }
        func count(_ value: Int) -> String { value.grouped }
        func ratio(_ value: Double) -> String { String(format: "%.2f : 1", value) }
        var rows: [Row] = []
        func add(_ key: String, _ each: (FunderReport.Cohort) -> String, total: String?) {
            rows.append(Row(key: key, label: t("report.\(key)"), values: cohorts.map(each) + (showTotal ? [total ?? ""] : [])))
        }
        let home = report.homeRegion.map { t.locale == .korean ? $0.koreanName : $0.englishName } ?? t("report.home_region_unset")
        add("capacity", { count($0.capacity) }, total: count(total.capacity))
        add("applicants", { count($0.applicants.total) }, total: count(total.applicants))
        add("competition_ratio", { ratio($0.competitionRatio) }, total: ratio(total.competitionRatio))
        rows.append(Row(key: "applicants_home", label: t("report.applicants_home", ["region": home]),
                        values: cohorts.map { count($0.applicants.homeRegion) } + (showTotal ? [count(cohorts.map(\.applicants.homeRegion).reduce(0, +))] : [])))
        add("applicants_capital", { count($0.applicants.capitalArea) }, total: count(cohorts.map(\.applicants.capitalArea).reduce(0, +)))
        add("applicants_other", { count($0.applicants.otherRegions) }, total: count(cohorts.map(\.applicants.otherRegions).reduce(0, +)))
        add("admitted", { count($0.admitted) }, total: count(total.admitted))
        rows.append(Row(key: "admitted_local", label: t("report.admitted_local", ["region": home]),
                        values: cohorts.map { "\(count($0.admittedLocal)) (\(percent($0.localShare)))" }
                            + (showTotal ? ["\(count(total.admittedLocal)) (\(percent(total.localShare)))"] : [])))
        add("trainees", { count($0.trainees) }, total: count(total.trainees))
        add("hours", { count($0.hours) }, total: nil)
        add("completers", { "\(count($0.completers)) (\(percent($0.completionRate)))" }, total: "\(count(total.completers)) (\(percent(total.completionRate)))")
        add("placed", { c in c.current.map { "\(count($0.placed)) (\(percent($0.employmentRate)))" } ?? "—" },
            total: "\(count(total.placed)) (\(percent(total.employmentRate)))")
        for status in OutcomeStatus.allCases {
            rows.append(Row(key: "status_\(status.rawValue)", label: "· " + t("outcome.\(status.rawValue)"),
                            values: cohorts.map { c in c.current.map { count($0.byStatus[status.rawValue] ?? 0) } ?? "—" }
                                + (showTotal ? [count(total.byStatus[status.rawValue] ?? 0)] : [])))
        }
        for point in SnapshotPoint.allCases where cohorts.contains(where: { $0.outcomes.contains { $0.label == point.rawValue } }) {
            rows.append(Row(key: "rate_\(point.rawValue)", label: t("report.rate_at", ["point": t("snapshot.\(point.rawValue)")]),
                            values: cohorts.map { c in c.outcomes.first { $0.label == point.rawValue }.map { "\(count($0.placed)) (\(percent($0.employmentRate)))" } ?? "—" }
                                + (showTotal ? [""] : [])))
        }
        add("project_teams", { count($0.projectTeams) }, total: count(total.projectTeams))
        add("corporate_projects", { count($0.corporateProjects) }, total: count(total.corporateProjects))
        add("hackathons", { count($0.hackathons) }, total: count(total.hackathons))
        add("awards", { count($0.awards) }, total: count(total.awards))
        add("certificates", { count($0.certificates) }, total: count(total.certificates))
        add("agreements", { count($0.agreements) }, total: count(total.partnerCompanies))
        add("tuition_invoiced", { Money.krw($0.subsidy.invoiced) }, total: Money.krw(total.subsidy.invoiced))
        add("tuition_paid", { Money.krw($0.subsidy.paid) }, total: Money.krw(total.subsidy.paid))
        add("refund_due", { Money.krw($0.subsidy.refundDue) }, total: Money.krw(total.subsidy.refundDue))
        self.rows = rows
    }
}
