import Vapor

/// What the API refuses before any capability sees the request.
enum APIError: AppError, Equatable {
    case tokenRequired
    case tokenInvalid
    case readOnly
    case rateLimited(retryAfter: Int)
    case badParameter(String)
    case badCursor
    case badBody(String)

    var code: String {
        switch self {
        case .tokenRequired: "api.token_required"
        case .tokenInvalid: "api.token_invalid"
        case .readOnly: "api.read_only"
        case .rateLimited: "api.rate_limited"
        case .badParameter: "api.bad_parameter"
        case .badCursor: "api.bad_cursor"
        case .badBody: "api.bad_body"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .tokenRequired, .tokenInvalid: .unauthorized
        case .readOnly: .forbidden
        case .rateLimited: .tooManyRequests
        case .badParameter, .badCursor, .badBody: .badRequest
        }
    }

    var messageKey: String { "api.error." + code.dropFirst("api.".count) }

    var messageArguments: [String: String] {
        switch self {
        case .rateLimited(let seconds): ["seconds": String(seconds)]
        case .badParameter(let name): ["name": name]
        case .badBody(let detail): ["detail": detail]
        default: [:]
        }
    }

    var headers: HTTPHeaders {
        switch self {
        case .tokenRequired, .tokenInvalid: ["WWW-Authenticate": "Bearer realm=\"cadet\""]
        case .rateLimited(let seconds): ["Retry-After": String(seconds)]
        default: [:]
        }
    }
}
