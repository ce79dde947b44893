import CadetCore
import Fluent
import Vapor

/// Finds the signed-in person from the session cookie and loads their roles, once per request.
struct SessionMiddleware: AsyncMiddleware {
    static let cookieName = "cadet_session"
    /// How stale `last_seen_at` may get before we write it again: one write per five minutes,
    /// not one per request.
    static let touchInterval: TimeInterval = 300

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let token = request.cookies[Self.cookieName]?.string.nonEmptyToken {
            if let user = try await Self.load(token: token, request: request) {
                request.currentUser = user
            } else {
                clearCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie, response.cookies[Self.cookieName] == nil {
            response.cookies[Self.cookieName] = .expired
        }
        return response
    }

    static func load(token: String, request: Request) async throws -> CurrentUser? {
        let now = Date()
        guard let session = try await UserSession.query(on: request.db)
            .filter(\.$tokenHash == Tokens.sha256(token))
            .filter(\.$expiresAt > now)
            .with(\.$user)
            .first(),
            let sessionID = session.id, let userID = session.user.id else {
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > touchInterval {
            session.lastSeenAt = now
            session.expiresAt = now.addingTimeInterval(TimeInterval(request.application.config.sessionHours * 3600))
            try await session.update(on: request.db)
        }
        let grants = try await RoleQueries.grants(of: userID, on: request.db)
        return CurrentUser(id: userID, email: session.user.email, name: session.user.name, sessionID: sessionID,
                           locale: session.user.locale.flatMap(AppLocale.init(rawValue:)),
                           policy: AccessPolicy(grants: grants))
    }
}

/// Starting and ending sessions.
enum Sessions {
    static func start(for user: User, on request: Request, response: Response) async throws {
        let token = Tokens.random()
        let hours = request.application.config.sessionHours
        let session = UserSession(userID: try user.requireID(), tokenHash: Tokens.sha256(token),
                                  expiresAt: Date().addingTimeInterval(TimeInterval(hours * 3600)),
                                  address: request.clientAddress,
                                  userAgent: request.headers.first(name: .userAgent).map { String($0.prefix(200)) })
        try await session.create(on: request.db)
        // A browser-session cookie: the server ends the session after CADET_SESSION_HOURS unused,
        // and closing the browser (on a shared academy PC, say) ends it too.
        response.cookies[SessionMiddleware.cookieName] = HTTPCookies.Value(
            string: token, expires: nil, maxAge: nil, domain: nil, path: "/",
            isSecure: request.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    static func end(on request: Request, response: Response) async throws {
        if let user = request.currentUser {
            try await UserSession.query(on: request.db).filter(\.$id == user.sessionID).delete()
        }
        response.cookies[SessionMiddleware.cookieName] = .expired
    }

    /// After a password change every other browser must sign in again.
    static func endAll(for userID: UUID, on database: any Database) async throws {
        try await UserSession.query(on: database).filter(\.$user.$id == userID).delete()
    }
}
