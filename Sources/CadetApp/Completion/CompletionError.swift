import Vapor

enum CompletionError: AppError, Equatable {
    case traineeNotFound
    case certificateNotFound
    /// Certificates are issued from a completion run; there is none yet.
    case noRun
    /// Only a valid certificate can be revoked or re-issued.
    case notValid

    var code: String {
        switch self {
        case .traineeNotFound: "completion.trainee_not_found"
        case .certificateNotFound: "completion.certificate_not_found"
        case .noRun: "completion.no_run"
        case .notValid: "completion.not_valid"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .traineeNotFound, .certificateNotFound: .notFound
        case .noRun, .notValid: .conflict
        }
    }

    var messageKey: String { "completion.error." + code.dropFirst("completion.".count) }
}
