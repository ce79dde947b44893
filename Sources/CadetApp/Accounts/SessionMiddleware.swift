import CadetCore
import Fluent
import FluentPostgresDriver
import SQLKit
import Vapor

/// Finds the signed-in person from the session cookie and loads their roles, once per request.
struct SessionMiddleware: AsyncMiddleware {
    static let cookieName = "cadet_session"
    /// How stale `last_seen_at` may get before we write it again: one write per five minutes,
    /// not one per request.
    static let touchInterval: TimeInterval = 300

    /// Sessions confirmed lately, for the routes marked `acceptingRecentSession()`.
    static let recent = RecentSessions()

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let token = request.sentCookies[Self.cookieName]?.string.nonEmptyToken {
            let tokenHash = Tokens.sha256(token)
            let recentOK = request.route?.acceptsRecentSession == true
            if recentOK, let user = Self.recent.user(tokenHash: tokenHash) {
                request.currentUser = user
            } else if let user = try await Self.load(tokenHash: tokenHash, request: request) {
                request.currentUser = user
                // Any route's confirmation counts: the start of a test confirms the session its
                // paper and first saves then use.
                Self.recent.remember(user, tokenHash: tokenHash)
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

    /// The session, its person and their roles in one query: every request asks, so this is
    /// plain SQL rather than three Fluent queries with their model decoding, and prepared once per
    /// connection on PostgreSQL, where planning the join cost more than running it (0.15 of 0.17 ms
    /// a call at 10,000 takers, docs/exams.md).
    struct SessionRead: PlannedOnce {
        static let sql = """
            SELECT s.id AS session_id, s.last_seen_at, u.id AS user_id, u.email, u.name, u.locale, u.email_verified_at,
                   g.role, g.programme_id, g.cohort_id
              FROM user_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN role_grants g ON g.user_id = u.id
             WHERE s.token_hash = $1 AND s.expires_at > $2
            """
        let tokenHash: String
        let now: Date
        var parameters: [any PostgresEncodable & Encodable & Sendable] { [tokenHash, now] }
    }

    static func load(tokenHash: String, request: Request) async throws -> CurrentUser? {
        let now = Date()
        let rows = try await SessionRead(tokenHash: tokenHash, now: now).all(on: request.db)
        guard let first = rows.first else { return nil }
        let sessionID = try first.decode(column: "session_id", as: UUID.self)
        let lastSeen = try first.decode(column: "last_seen_at", as: Date.self)
        if now.timeIntervalSince(lastSeen) > touchInterval {
            // With the other writes of the moment: thousands of takers who signed in early touch
            // their sessions in the same seconds when the test opens.
            let expires = now.addingTimeInterval(TimeInterval(request.application.config.sessionHours * 3600))
            try await request.application.groupCommit.runStatement(on: request.db) { sql in
                try await sql.update(UserSession.schema).set("last_seen_at", to: now).set("expires_at", to: expires)
                    .where("id", .equal, sessionID).run()
            }
        }
        let grants = try rows.compactMap { row -> Grant? in
            guard let role = try row.decode(column: "role", as: String?.self) else { return nil }
            return RoleGrant.grant(role: role, programme: try row.decode(column: "programme_id", as: UUID?.self),
                                   cohort: try row.decode(column: "cohort_id", as: UUID?.self))
        }
        return CurrentUser(id: try first.decode(column: "user_id", as: UUID.self), email: try first.decode(column: "email", as: String.self),
                           name: try first.decode(column: "name", as: String.self), sessionID: sessionID,
                           locale: try first.decode(column: "locale", as: String?.self).flatMap(AppLocale.init(rawValue:)),
                           policy: AccessPolicy(grants: grants),
                           emailVerified: try first.decode(column: "email_verified_at", as: Date?.self) != nil)
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
            SessionMiddleware.recent.forget(session: user.sessionID)
        }
        response.cookies[SessionMiddleware.cookieName] = .expired
    }

    /// After a password change every other browser must sign in again.
    static func endAll(for userID: UUID, on database: any Database) async throws {
        try await UserSession.query(on: database).filter(\.$user.$id == userID).delete()
        SessionMiddleware.recent.forget(user: userID)
    }
}
