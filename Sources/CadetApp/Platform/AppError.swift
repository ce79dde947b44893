import CadetCore
import Vapor

/// An error a person may see: a stable code for programs, a catalogue key for people.
public protocol AppError: Error {
    var code: String { get }
    var status: HTTPResponseStatus { get }
    var messageKey: String { get }
    var messageArguments: [String: String] { get }
    /// Headers the answer carries (WWW-Authenticate, Retry-After).
    var headers: HTTPHeaders { get }
}

extension AppError {
    public var messageArguments: [String: String] { [:] }
    public var headers: HTTPHeaders { [:] }
}

public enum PlatformError: AppError, Equatable {
    case notFound
    case badRequest(String)
    case csrfRejected
    case unavailable

    public var code: String {
        switch self {
        case .notFound: "platform.not_found"
        case .badRequest: "platform.bad_request"
        case .csrfRejected: "platform.csrf_rejected"
        case .unavailable: "platform.unavailable"
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .csrfRejected: .forbidden
        case .unavailable: .serviceUnavailable
        }
    }

    public var messageKey: String {
        switch self {
        case .notFound: "error.not_found"
        case .badRequest: "error.bad_request"
        case .csrfRejected: "error.csrf"
        case .unavailable: "error.unavailable"
        }
    }

    public var messageArguments: [String: String] {
        if case .badRequest(let detail) = self { ["detail": detail] } else { [:] }
    }
}

public enum AccessError: AppError, Equatable {
    case signInRequired
    case forbidden

    public var code: String { self == .signInRequired ? "access.sign_in_required" : "access.forbidden" }
    public var status: HTTPResponseStatus { self == .signInRequired ? .unauthorized : .forbidden }
    public var messageKey: String { self == .signInRequired ? "error.sign_in_required" : "error.forbidden" }
}

extension ValidationFailure: AppError {
    public var code: String { "validation.failed" }
    public var status: HTTPResponseStatus { .unprocessableEntity }
    public var messageKey: String { "error.validation" }
}
