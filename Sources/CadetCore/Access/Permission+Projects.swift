/// Projects' permissions: hackathons and their leaderboards.
extension Permission {
    /// Create hackathons, form their teams, reveal the private board.
    public static let manageHackathons = Permission("manage_hackathons", roles: staff)
    /// Read a cohort's hackathons with both boards and every team's submissions.
    public static let viewHackathons = Permission("view_hackathons", roles: teaching.union([.mentor]))
}

extension Permission {
    /// Approve proposals, set projects, run the matching, move trainees, assign mentors.
    public static let manageProjects = Permission("manage_projects", roles: staff)
    /// Read a cohort's projects, teams and mentors.
    public static let viewProjects = Permission("view_projects", roles: teaching.union([.mentor]))
}
