import Vapor

enum ProjectsError: AppError, Equatable {
    case hackathonNotFound
    case teamNotFound
    case submissionNotFound
    /// The trainee is on no team of this hackathon.
    case noTeam
    case deadlinePassed
    case dailyCapReached(cap: Int)
    /// More final submissions chosen than the hackathon allows.
    case tooManyFinals(allowed: Int)
    /// Members named who are not trainees of the cohort, or already on a team.
    case membersRefused(emails: String)
    case alreadyRevealed
    case notYetOver

    var code: String {
        switch self {
        case .hackathonNotFound: "projects.hackathon_not_found"
        case .teamNotFound: "projects.team_not_found"
        case .submissionNotFound: "projects.submission_not_found"
        case .noTeam: "projects.no_team"
        case .deadlinePassed: "projects.deadline_passed"
        case .dailyCapReached: "projects.daily_cap_reached"
        case .tooManyFinals: "projects.too_many_finals"
        case .membersRefused: "projects.members_refused"
        case .alreadyRevealed: "projects.already_revealed"
        case .notYetOver: "projects.not_yet_over"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .hackathonNotFound, .teamNotFound, .submissionNotFound: .notFound
        case .noTeam: .forbidden
        case .deadlinePassed, .alreadyRevealed, .notYetOver: .conflict
        case .dailyCapReached: .tooManyRequests
        case .tooManyFinals, .membersRefused: .unprocessableEntity
        }
    }

    var messageKey: String { "projects.error." + code.dropFirst("projects.".count) }

    var messageArguments: [String: String] {
        switch self {
        case .dailyCapReached(let cap): ["cap": String(cap)]
        case .tooManyFinals(let allowed): ["allowed": String(allowed)]
        case .membersRefused(let emails): ["emails": emails]
        default: [:]
        }
    }
}
