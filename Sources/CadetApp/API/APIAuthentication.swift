import CadetCore
import Fluent
import SQLKit
import Vapor

/// Every /api/v1 operation but the OpenAPI document goes through here: a bearer token (never a
/// session cookie), not revoked or expired, within its rate limit, writing only if it may. The
/// request then carries an identity whose policy is the token's: the holder's roles (or, for
/// a service token, staff's) narrowed to the token's scope, so every check a page makes holds
/// for the API too.
struct APIAuthentication: AsyncMiddleware {
    /// Requests per token per minute.
    let limit: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let presented = request.headers.bearerAuthorization?.token else { throw APIError.tokenRequired }
        let now = request.now
        guard presented.utf8.count <= 100, presented.hasPrefix(APITokenService.tokenPrefix),
              let token = try await APIToken.query(on: request.db).filter(\.$tokenHash == Tokens.sha256(presented)).with(\.$owner).first(),
              token.revokedAt == nil, token.expiresAt.map({ $0 > now }) ?? true else {
            throw APIError.tokenInvalid
        }
        let used = try await Self.count(token, now: now, on: request.db)
        let reset = 60 - Int(now.timeIntervalSince1970) % 60
        guard used <= limit else { throw APIError.rateLimited(retryAfter: reset) }
        if ![.GET, .HEAD].contains(request.method), token.access == .read { throw APIError.readOnly }
        request.currentUser = try await Self.identity(of: token, on: request.db)
        request.apiToken = token
        if now.timeIntervalSince(token.lastUsedAt ?? .distantPast) > 60 {
            token.lastUsedAt = now
            try await token.update(on: request.db)
        }
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "RateLimit-Limit", value: String(limit))
        response.headers.replaceOrAdd(name: "RateLimit-Remaining", value: String(max(0, limit - used)))
        response.headers.replaceOrAdd(name: "RateLimit-Reset", value: String(reset))
        return response
    }

    /// This request's number in the token's current minute (one statement, so concurrent
    /// requests on several instances count correctly).
    static func count(_ token: APIToken, now: Date, on db: any Database) async throws -> Int {
        let window = Int64(now.timeIntervalSince1970) / 60
        let row = try await (db as! any SQLDatabase).raw("""
            INSERT INTO api_rate_windows (token_id, window_start, requests) VALUES (\(bind: token.id!), \(bind: window), 1)
            ON CONFLICT (token_id, window_start) DO UPDATE SET requests = api_rate_windows.requests + 1
            RETURNING requests
            """).first()
        return try row?.decode(column: "requests", as: Int.self) ?? 1
    }

    static func identity(of token: APIToken, on db: any Database) async throws -> CurrentUser {
        let grants: [Grant]
        switch token.kind {
        case .personal: grants = try await RoleQueries.grants(of: token.$owner.id, on: db)
        case .service: grants = [Grant(token.scope == .academy ? .operator : .programmeStaff, token.scope)]
        }
        let policy = AccessPolicy(grants: grants).restricted(to: token.scope)
        // The audit log tells changes made through the API from those made on the pages.
        let label = (token.kind == .personal ? token.owner.email : "service:\(token.name)") + " (api \(token.prefix))"
        return CurrentUser(id: token.$owner.id, email: label, name: token.name, sessionID: try token.requireID(), locale: nil,
                           policy: policy, emailVerified: false)
    }
}

extension Request {
    private struct APITokenKey: StorageKey { typealias Value = APIToken }

    /// The token an API request came with.
    var apiToken: APIToken? {
        get { storage[APITokenKey.self] }
        set { storage[APITokenKey.self] = newValue }
    }
}
