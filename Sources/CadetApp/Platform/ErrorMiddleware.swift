import CadetCore
import Vapor

/// Turns every error into a page in the reader's language or a JSON body
/// `{ "error": { "code": …, "message": … } }`, and never shows internals.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, request: request)
        }
    }

    private func response(for error: any Error, request: Request) async -> Response {
        let described = describe(error)
        if described.status.code >= 500 {
            request.logger.report(error: error)
        }
        if described.code == AccessError.signInRequired.code, request.prefersHTML, request.method == .GET {
            let next = request.url.string.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"
            return request.redirect(to: "/signin?next=\(next)")
        }
        let t = request.localizer
        let message = t(described.key, described.arguments)
        if request.prefersHTML {
            let context = ErrorPage(page: PageChrome(request, title: t("error.title")), status: Int(described.status.code), message: message, code: described.code)
            if let view = try? await request.view.render("error", context), let response = try? await view.encodeResponse(status: described.status, for: request) {
                for (name, value) in described.headers { response.headers.replaceOrAdd(name: name, value: value) }
                return response
            }
        }
        let body = ErrorBody(error: .init(code: described.code, message: message, fields: described.fields(t)))
        let response = Response(status: described.status)
        try? response.content.encode(body, as: .json)
        for (name, value) in described.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    private struct Described {
        let status: HTTPResponseStatus
        let code: String
        let key: String
        let arguments: [String: String]
        let issues: [FieldIssue]
        var headers: HTTPHeaders = [:]

        func fields(_ t: Localizer) -> [String: String]? {
            issues.isEmpty ? nil : Dictionary(issues.map { ($0.field, FieldMessages.message(for: $0, t)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    private func describe(_ error: any Error) -> Described {
        switch error {
        case let failure as ValidationFailure:
            return Described(status: failure.status, code: failure.code, key: failure.messageKey, arguments: [:], issues: failure.issues)
        case let app as any AppError:
            return Described(status: app.status, code: app.code, key: app.messageKey, arguments: app.messageArguments, issues: [], headers: app.headers)
        case let abort as any AbortError:
            switch abort.status {
            case .notFound: return describe(PlatformError.notFound)
            case .payloadTooLarge: return Described(status: .payloadTooLarge, code: "platform.too_large", key: "error.too_large", arguments: [:], issues: [])
            case .unsupportedMediaType, .badRequest, .unprocessableEntity:
                return Described(status: .badRequest, code: "platform.bad_request", key: "error.bad_request", arguments: ["detail": abort.reason], issues: [])
            case .methodNotAllowed: return Described(status: .methodNotAllowed, code: "platform.method_not_allowed", key: "error.method_not_allowed", arguments: [:], issues: [])
            default:
                if abort.status.code < 500 {
                    return Described(status: abort.status, code: "platform.http_\(abort.status.code)", key: "error.bad_request", arguments: ["detail": abort.reason], issues: [])
                }
                return Described(status: .internalServerError, code: "platform.internal", key: "error.internal", arguments: [:], issues: [])
            }
        case is DecodingError:
            return Described(status: .badRequest, code: "platform.bad_request", key: "error.bad_request", arguments: ["detail": "malformed body"], issues: [])
        default:
            return Described(status: .internalServerError, code: "platform.internal", key: "error.internal", arguments: [:], issues: [])
        }
    }
}

struct ErrorBody: Content {
    struct Detail: Content {
        let code: String
        let message: String
        let fields: [String: String]?
    }

    let error: Detail
}

struct ErrorPage: Encodable {
    let page: PageChrome
    let status: Int
    let message: String
    let code: String
}

extension Request {
    /// Browsers get pages; scripts and API clients (Accept: application/json) get JSON.
    var prefersHTML: Bool {
        if isAPI { return false }
        let accept = headers[.accept].joined(separator: ",")
        if accept.contains("application/json") && !accept.contains("text/html") { return false }
        return true
    }
}
