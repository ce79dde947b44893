/// The directory's permissions: programmes, cohorts, people, roles, the audit log, the outbox.
extension Permission {
    public static let createProgramme = Permission("create_programme", roles: [.operator])
    public static let viewProgramme = Permission("view_programme", roles: Set(Role.allCases), reachesFromInside: true)
    public static let manageProgramme = Permission("manage_programme", roles: staff)
    public static let viewCohort = Permission("view_cohort", roles: Set(Role.allCases))
    public static let manageCohort = Permission("manage_cohort", roles: staff)
    /// The people of a cohort: its classes, trainees and staff.
    public static let viewRoster = Permission("view_roster", roles: teaching)
    public static let grantRoles = Permission("grant_roles", roles: staff)
    public static let viewAudit = Permission("view_audit", roles: staff)
    public static let viewOutbox = Permission("view_outbox", roles: [.operator])
    public static let viewPeople = Permission("view_people", roles: staff)

    /// Every permission the directory declares (tests walk them).
    public static let directory: [Permission] = [.createProgramme, .viewProgramme, .manageProgramme, .viewCohort, .manageCohort, .viewRoster,
                                                 .grantRoles, .viewAudit, .viewOutbox, .viewPeople]
}
