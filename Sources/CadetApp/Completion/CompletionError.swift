import Vapor

enum CompletionError: AppError, Equatable {
    case traineeNotFound
    case certificateNotFound
    /// Certificates are issued from a completion run; there is none yet.
    case noRun
    /// Only a valid certificate can be revoked or re-issued.
    case notValid
    case invoiceNotFound
    case awardNotFound

    var code: String {
        switch self {
        case .traineeNotFound: "completion.trainee_not_found"
        case .certificateNotFound: "completion.certificate_not_found"
        case .noRun: "completion.no_run"
        case .notValid: "completion.not_valid"
        case .invoiceNotFound: "completion.invoice_not_found"
        case .awardNotFound: "completion.award_not_found"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .traineeNotFound, .certificateNotFound, .invoiceNotFound, .awardNotFound: .notFound
        case .noRun, .notValid: .conflict
        }
    }

    var messageKey: String { "completion.error." + code.dropFirst("completion.".count) }
}
