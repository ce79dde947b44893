import Vapor

public enum AccountError: AppError, Equatable {
    case invalidCredentials
    case throttled(minutes: Int)
    case resetLinkInvalid
    case wrongCurrentPassword
    /// Too many mail-sending requests (sign-ups, reset or unlock links) from one address.
    case tooManyRequests(minutes: Int)
    case verifyLinkInvalid
    case unlockLinkInvalid
    /// Applying and taking tests need an address the person has proved is theirs.
    case emailNotVerified

    public var code: String {
        switch self {
        case .invalidCredentials: "account.invalid_credentials"
        case .throttled: "account.throttled"
        case .resetLinkInvalid: "account.reset_link_invalid"
        case .wrongCurrentPassword: "account.wrong_current_password"
        case .tooManyRequests: "account.too_many_requests"
        case .verifyLinkInvalid: "account.verify_link_invalid"
        case .unlockLinkInvalid: "account.unlock_link_invalid"
        case .emailNotVerified: "account.email_not_verified"
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .invalidCredentials, .wrongCurrentPassword: .unauthorized
        case .throttled, .tooManyRequests: .tooManyRequests
        case .resetLinkInvalid, .verifyLinkInvalid, .unlockLinkInvalid: .badRequest
        case .emailNotVerified: .forbidden
        }
    }

    public var messageKey: String { "account.error." + code.dropFirst("account.".count) }

    public var messageArguments: [String: String] {
        switch self {
        case .throttled(let minutes), .tooManyRequests(let minutes): ["minutes": String(minutes)]
        default: [:]
        }
    }
}
