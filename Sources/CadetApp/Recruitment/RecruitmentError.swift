import Vapor

public enum RecruitmentError: AppError, Equatable {
    case noRound
    case applicationNotFound
    case roundClosed
    case roundNotOpen
    case notAllowedNow
    case fileNotFound
    case fileRejected(String)
    case alreadyApplied
    /// Another company already sponsors this application.
    case sponsoredElsewhere

    public var code: String {
        switch self {
        case .noRound: "recruitment.no_round"
        case .applicationNotFound: "recruitment.application_not_found"
        case .roundClosed: "recruitment.round_closed"
        case .roundNotOpen: "recruitment.round_not_open"
        case .notAllowedNow: "recruitment.not_allowed_now"
        case .fileNotFound: "recruitment.file_not_found"
        case .fileRejected: "recruitment.file_rejected"
        case .alreadyApplied: "recruitment.already_applied"
        case .sponsoredElsewhere: "recruitment.sponsored_elsewhere"
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .noRound, .applicationNotFound, .fileNotFound: .notFound
        case .roundClosed, .roundNotOpen, .notAllowedNow, .alreadyApplied, .sponsoredElsewhere: .conflict
        case .fileRejected: .unprocessableEntity
        }
    }

    public var messageKey: String { "recruitment.error.\(code.dropFirst("recruitment.".count))" }

    public var messageArguments: [String: String] {
        if case .fileRejected(let reason) = self { ["reason": reason] } else { [:] }
    }
}
