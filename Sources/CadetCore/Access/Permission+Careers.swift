/// Careers' permissions: graduates' outcomes and the funder's report.
extension Permission {
    /// Record and correct graduates' outcomes, freeze snapshots, send follow-ups.
    public static let manageOutcomes = Permission("manage_outcomes", roles: staff)
    /// Read and export the funder's report of a programme or cohort.
    public static let viewFunderReport = Permission("view_funder_report", roles: staff)
}

extension Permission {
    /// Keep the programme's partner companies, hiring agreements, job postings and each
    /// trainee's way through them.
    public static let manageHiring = Permission("manage_hiring", roles: staff)
}
