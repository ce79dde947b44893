/// The report as one table, for the CSV a funder's portal takes: a row per cohort and outcome
/// snapshot ("current" first), then the programme's total. Rates are percentages to one decimal;
/// money is whole KRW.
extension FunderReport {
    public static let columns = [
        "programme", "cohort", "snapshot", "taken_on", "capacity", "applicants", "competition_ratio", "applicants_home_region",
        "applicants_capital_area", "applicants_other_regions", "admitted", "admitted_local", "local_share_pct", "trainees", "hours",
        "completers", "completion_rate_pct", "placed", "employed", "start_up", "graduate_school", "still_looking", "not_seeking",
        "not_reporting", "employment_rate_pct", "project_teams", "corporate_projects", "hackathons", "awards", "certificates", "hiring_agreements", "tuition_invoiced_krw", "tuition_paid_krw",
        "refund_due_krw",
    ]

    public var rows: [[String]] {
        func text(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "" }
        var rows: [[String]] = []
        for cohort in cohorts {
            for outcomes in cohort.outcomes.isEmpty ? [nil] : cohort.outcomes.map(Optional.some) {
                let statuses = OutcomeStatus.allCases.map { String(outcomes?.byStatus[$0.rawValue] ?? 0) }
                rows.append([programme, cohort.slug, outcomes?.label ?? "current", outcomes?.takenOn ?? "", String(cohort.capacity),
                             String(cohort.applicants.total), String(format: "%.2f", cohort.competitionRatio), String(cohort.applicants.homeRegion),
                             String(cohort.applicants.capitalArea), String(cohort.applicants.otherRegions), String(cohort.admitted),
                             String(cohort.admittedLocal), text(cohort.localShare), String(cohort.trainees), String(cohort.hours),
                             String(cohort.completers), text(cohort.completionRate), String(outcomes?.placed ?? 0)]
                            + statuses
                            + [text(outcomes?.employmentRate), String(cohort.projectTeams), String(cohort.corporateProjects), String(cohort.hackathons), String(cohort.awards), String(cohort.certificates),
                               String(cohort.agreements), String(cohort.subsidy.invoiced), String(cohort.subsidy.paid), String(cohort.subsidy.refundDue)])
            }
        }
        let t = totals
        rows.append([programme, "TOTAL", "current", "", String(t.capacity), String(t.applicants), String(format: "%.2f", t.competitionRatio),
                     "", "", "", String(t.admitted), String(t.admittedLocal), text(t.localShare), String(t.trainees), "", String(t.completers),
                     text(t.completionRate), String(t.placed)] + OutcomeStatus.allCases.map { String(t.byStatus[$0.rawValue] ?? 0) } + [text(t.employmentRate), String(t.projectTeams), String(t.corporateProjects), String(t.hackathons),
                     String(t.awards), String(t.certificates), String(t.partnerCompanies), String(t.subsidy.invoiced), String(t.subsidy.paid), String(t.subsidy.refundDue)])
        return rows
    }
}
