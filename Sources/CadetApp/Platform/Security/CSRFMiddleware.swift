import Vapor

/// Signed double-submit CSRF protection: a random, HttpOnly cookie binds the browser, and every
/// state-changing request must carry HMAC(secret, cookie) in `_csrf` or `X-CSRF-Token`. A
/// cross-site page can neither read the cookie nor compute the token.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "cadet_csrf"
    static let fieldName = "_csrf"
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The API takes bearer tokens only, never cookies, so a forged cross-site request has
        // nothing to ride on there.
        if request.isAPI { return try await next.respond(to: request) }
        let secret = try await request.application.secrets.key(on: request.db)
        let secureCookies = request.application.config.secureCookies
        let existing = request.sentCookies[Self.cookieName]?.string.nonEmptyToken
        let binding = existing ?? Tokens.random()
        request.csrfToken = Tokens.hmac(binding, key: secret)

        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            guard existing != nil, let presented = try await presentedToken(request),
                  Tokens.constantTimeEqual(presented, request.csrfToken ?? "") else {
                // Keep the fresh cookie on the refusal so that reloading the form works.
                let response = try await AppErrorMiddleware().respond(to: request, chainingTo: Refuse())
                setCookie(binding, on: response, if: existing == nil, secure: secureCookies)
                return response
            }
        }
        let response = try await next.respond(to: request)
        setCookie(binding, on: response, if: existing == nil, secure: secureCookies)
        return response
    }

    private func presentedToken(_ request: Request) async throws -> String? {
        if let header = request.headers.first(name: "X-CSRF-Token") { return header }
        let multipart = request.headers.contentType?.type == "multipart"
        guard request.headers.contentType == .urlEncodedForm || multipart else { return nil }
        // Uploads (documents, import files) may be larger than a form; their routes cap them again.
        _ = try await request.body.collect(max: multipart ? 32 << 20 : request.application.routes.defaultMaxBodySize.value).get()
        struct Field: Decodable { let _csrf: String? }
        do {
            return try request.content.decode(Field.self)._csrf
        } catch {
            // A body that cannot be read at all (say, a file name that is not UTF-8) is the
            // sender's mistake, not an expired form.
            throw PlatformError.badRequest(multipart ? "the upload could not be read (its parts or file name are not UTF-8)" : "the form could not be read")
        }
    }

    private func setCookie(_ value: String, on response: Response, if needed: Bool, secure secureCookies: Bool) {
        guard needed else { return }
        response.cookies[Self.cookieName] = HTTPCookies.Value(
            string: value, expires: nil, maxAge: nil, domain: nil, path: "/",
            isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    private struct Refuse: AsyncResponder {
        func respond(to request: Request) async throws -> Response {
            throw PlatformError.csrfRejected
        }
    }
}

extension String {
    /// Cookie values we issue are 43 URL-safe characters; anything else is ignored.
    var nonEmptyToken: String? {
        count >= 32 && count <= 64 && allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? self : nil
    }
}

extension Request {
    /// An /api/v1 request: the path's own components, with no `.` or `..` that a router or a
    /// proxy might resolve into a page's path.
    var isAPI: Bool {
        let parts = url.path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 3 && parts[0].isEmpty && parts[1] == "api" && parts[2] == "v1" && !parts.contains { $0 == "." || $0 == ".." }
    }
}
