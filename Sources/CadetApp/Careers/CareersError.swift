import Vapor

enum CareersError: AppError, Equatable {
    /// Outcomes are kept for those who completed the cohort, and this trainee did not (or no
    /// completion has been run).
    case notAGraduate
    case snapshotTaken(point: String)
    /// The follow-up link is forged, for another graduate, or past its date.
    case linkInvalid
    case companyNotFound
    case postingNotFound
    case placementNotFound
    /// Only the programme's trainees and graduates may apply to its postings.
    case notATrainee
    case postingClosed
    /// Placed and declined are final.
    case placementClosed(stage: String)
    case recruitDayNotFound
    case evidenceNotFound
    /// Someone booked the slot first.
    case slotTaken
    /// One slot per company per recruit day.
    case slotAlreadyHeld

    var code: String {
        switch self {
        case .notAGraduate: "careers.not_a_graduate"
        case .snapshotTaken: "careers.snapshot_taken"
        case .linkInvalid: "careers.link_invalid"
        case .companyNotFound: "careers.company_not_found"
        case .postingNotFound: "careers.posting_not_found"
        case .placementNotFound: "careers.placement_not_found"
        case .notATrainee: "careers.not_a_trainee"
        case .postingClosed: "careers.posting_closed"
        case .placementClosed: "careers.placement_closed"
        case .recruitDayNotFound: "careers.recruit_day_not_found"
        case .evidenceNotFound: "careers.evidence_not_found"
        case .slotTaken: "careers.slot_taken"
        case .slotAlreadyHeld: "careers.slot_already_held"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .notAGraduate, .linkInvalid, .companyNotFound, .postingNotFound, .placementNotFound, .recruitDayNotFound, .evidenceNotFound: .notFound
        case .notATrainee: .forbidden
        case .snapshotTaken, .postingClosed, .placementClosed, .slotTaken, .slotAlreadyHeld: .conflict
        }
    }

    var messageKey: String { "careers.error." + code.dropFirst("careers.".count) }

    var messageArguments: [String: String] {
        switch self {
        case .snapshotTaken(let point): ["point": point]
        case .placementClosed(let stage): ["stage": stage]
        default: [:]
        }
    }
}
