import Vapor

enum TrainingError: AppError, Equatable {
    case courseNotFound
    case sessionNotFound
    case excuseNotFound
    /// Check-in opens half an hour before the session.
    case notOpenYet
    /// The session is over: check-in and check-out are closed; staff correct the roster.
    case sessionOver
    /// The code is wrong or has changed since it was shown.
    case wrongCode
    /// The trainee is not in the session's class.
    case notInClass
    /// No session of the trainee's is open now.
    case noSessionNow
    /// The academy allows check-ins only from its own network.
    case outsideNetwork
    case notCheckedIn
    /// Changing a status already taken needs a reason.
    case reasonRequired
    /// The trainee has used the excused days the rules allow in that unit period.
    case excuseCapReached(Int)
    case fileRejected(String)
    /// The timetable could not hold the course's hours in the range given.
    case courseHasSessions

    var code: String {
        switch self {
        case .courseNotFound: "training.course_not_found"
        case .sessionNotFound: "training.session_not_found"
        case .excuseNotFound: "training.excuse_not_found"
        case .notOpenYet: "training.not_open_yet"
        case .sessionOver: "training.session_over"
        case .wrongCode: "training.wrong_code"
        case .notInClass: "training.not_in_class"
        case .noSessionNow: "training.no_session_now"
        case .outsideNetwork: "training.outside_network"
        case .notCheckedIn: "training.not_checked_in"
        case .reasonRequired: "training.reason_required"
        case .excuseCapReached: "training.excuse_cap_reached"
        case .fileRejected: "training.file_rejected"
        case .courseHasSessions: "training.course_has_sessions"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .courseNotFound, .sessionNotFound, .excuseNotFound, .notInClass: .notFound
        case .notOpenYet, .sessionOver, .noSessionNow, .notCheckedIn, .excuseCapReached, .courseHasSessions: .conflict
        case .wrongCode, .reasonRequired, .fileRejected: .unprocessableEntity
        case .outsideNetwork: .forbidden
        }
    }

    var messageKey: String { "training.error." + code.dropFirst("training.".count) }

    var messageArguments: [String: String] {
        switch self {
        case .excuseCapReached(let days): ["days": String(days)]
        case .fileRejected(let reason): ["reason": reason]
        default: [:]
        }
    }
}
