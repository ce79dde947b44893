import Vapor

public enum AccountError: AppError, Equatable {
    case invalidCredentials
    case throttled(minutes: Int)
    case resetLinkInvalid
    case wrongCurrentPassword

    public var code: String {
        switch self {
        case .invalidCredentials: "account.invalid_credentials"
        case .throttled: "account.throttled"
        case .resetLinkInvalid: "account.reset_link_invalid"
        case .wrongCurrentPassword: "account.wrong_current_password"
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .invalidCredentials, .wrongCurrentPassword: .unauthorized
        case .throttled: .tooManyRequests
        case .resetLinkInvalid: .badRequest
        }
    }

    public var messageKey: String {
        switch self {
        case .invalidCredentials: "account.error.invalid_credentials"
        case .throttled: "account.error.throttled"
        case .resetLinkInvalid: "account.error.reset_link_invalid"
        case .wrongCurrentPassword: "account.error.wrong_current_password"
        }
    }

    public var messageArguments: [String: String] {
        if case .throttled(let minutes) = self { ["minutes": String(minutes)] } else { [:] }
    }
}
