/// Who may guide a project team. A trainee of the cohort may not mentor it; a company's own
/// people mentor only their company's projects (another company's problem and data are not
/// theirs to see); and nobody takes more teams than they can give time to.
public enum MentorRules {
    public static let teamsPerMentor = 4

    public enum Conflict: String, Equatable, Sendable {
        case trainee
        case otherCompany = "other_company"
        case tooManyTeams = "too_many_teams"
    }

    /// - Parameters:
    ///   - isTrainee: the person is a trainee of the cohort.
    ///   - contactOf: for a company contact, whether the project is their company's; nil for
    ///     everyone else.
    ///   - teams: how many of the cohort's teams they guide already.
    public static func conflict(isTrainee: Bool, contactOfProjectsCompany: Bool?, teams: Int) -> Conflict? {
        if isTrainee { return .trainee }
        if contactOfProjectsCompany == false { return .otherCompany }
        if teams >= teamsPerMentor { return .tooManyTeams }
        return nil
    }
}
