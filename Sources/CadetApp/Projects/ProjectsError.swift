import CadetCore
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
    case proposalNotFound
    /// Approved or declined already; a decision is taken once.
    case alreadyDecided
    case proposalNotApproved
    /// No approved project to match trainees to.
    case nothingToMatch
    /// The person moved onto a team is not a trainee of the cohort.
    case notATrainee
    case teamFull(max: Int)
    /// The person holds no role in the cohort that lets them guide a team.
    case notAMentor
    case mentorConflict(MentorRules.Conflict)
    /// A company contact whose e-mail address is on none of the programme's companies.
    case noCompany
    /// A trainee with no cohort open for projects, or a page for a cohort they are not in.
    case noProjectCohort
    /// No showcase set up, or (for the public page) not published.
    case showcaseNotFound
    /// The person holds no role over the cohort that lets them judge.
    case notAJudge
    /// The signed-in person judges no showcase.
    case notJudging
    case recused(Recusal)
    case pairwiseOff
    /// The pair voted on is not the one the judge was shown (another tab voted first).
    case stalePair
    case milestoneNotFound
    /// A hackathon's program input or a team's program refused: `required`, `too_large`, `not_text`.
    case codeRefused(reason: String)
    /// The signed-in trainee is on no project team of their cohort.
    case noProjectTeam
    /// Feedback from someone who neither manages projects nor guides this team.
    case notTheirTeam

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
        case .proposalNotFound: "projects.proposal_not_found"
        case .alreadyDecided: "projects.already_decided"
        case .proposalNotApproved: "projects.proposal_not_approved"
        case .nothingToMatch: "projects.nothing_to_match"
        case .notATrainee: "projects.not_a_trainee"
        case .teamFull: "projects.team_full"
        case .notAMentor: "projects.not_a_mentor"
        case .mentorConflict(let conflict): "projects.mentor_\(conflict.rawValue)"
        case .noCompany: "projects.no_company"
        case .noProjectCohort: "projects.no_project_cohort"
        case .showcaseNotFound: "projects.showcase_not_found"
        case .notAJudge: "projects.not_a_judge"
        case .notJudging: "projects.not_judging"
        case .recused(let reason): "projects.recused_\(reason.rawValue)"
        case .pairwiseOff: "projects.pairwise_off"
        case .stalePair: "projects.stale_pair"
        case .milestoneNotFound: "projects.milestone_not_found"
        case .codeRefused(let reason): "projects.code_\(reason)"
        case .noProjectTeam: "projects.no_project_team"
        case .notTheirTeam: "projects.not_their_team"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .hackathonNotFound, .teamNotFound, .submissionNotFound, .proposalNotFound, .showcaseNotFound, .milestoneNotFound: .notFound
        case .noTeam, .noCompany, .noProjectCohort, .notJudging, .recused, .noProjectTeam, .notTheirTeam: .forbidden
        case .pairwiseOff, .stalePair: .conflict
        case .deadlinePassed, .alreadyRevealed, .notYetOver, .alreadyDecided, .proposalNotApproved, .nothingToMatch, .teamFull, .mentorConflict: .conflict
        case .notATrainee, .notAMentor, .notAJudge: .unprocessableEntity
        case .dailyCapReached: .tooManyRequests
        case .tooManyFinals, .membersRefused, .codeRefused: .unprocessableEntity
        }
    }

    var messageKey: String { "projects.error." + code.dropFirst("projects.".count) }

    var messageArguments: [String: String] {
        switch self {
        case .dailyCapReached(let cap): ["cap": String(cap)]
        case .tooManyFinals(let allowed): ["allowed": String(allowed)]
        case .membersRefused(let emails): ["emails": emails]
        case .teamFull(let max): ["max": String(max)]
        case .mentorConflict: ["limit": String(MentorRules.teamsPerMentor)]
        case .codeRefused: ["kib": String(HackathonCode.maximumCodeBytes >> 10)]
        default: [:]
        }
    }
}
