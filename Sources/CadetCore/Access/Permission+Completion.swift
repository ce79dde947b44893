/// Completion's permissions: the rules, the runs, overrides, departures and certificates.
extension Permission {
    /// Set the completion rules, run completion, override an outcome, record a departure,
    /// issue, revoke and re-issue certificates.
    public static let manageCompletion = Permission("manage_completion", roles: staff)
    /// Read the latest completion run (those who teach the cohort).
    public static let viewCompletion = Permission("view_completion", roles: teaching)

    /// Invoice sponsors, record payments, read and export the settlement.
    public static let manageSettlement = Permission("manage_settlement", roles: staff)

    public static let completion: [Permission] = [.manageCompletion, .viewCompletion, .manageSettlement]
}
