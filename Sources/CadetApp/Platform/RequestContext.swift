import CadetCore
import Vapor

/// What the middleware learns about a request, kept for the handlers and the templates.
struct CurrentUser: Sendable {
    let id: UUID
    let email: String
    let name: String
    let sessionID: UUID
    let locale: AppLocale?
    let policy: AccessPolicy
    /// Whether the person proved they read mail at `email`.
    let emailVerified: Bool

    var actorLabel: String { email }

    /// Who this person is when the question is whose application or test it is.
    var applicationOwner: ApplicationOwner {
        ApplicationOwner(userID: id, verifiedEmail: emailVerified ? email : nil)
    }
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }
    private struct CSRFKey: StorageKey { typealias Value = String }
    private struct CookiesKey: StorageKey { typealias Value = HTTPCookies }

    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    var localizer: Localizer {
        get { storage[LocalizerKey.self] ?? Localizer(locale: application.config.defaultLocale, timeZone: application.config.timeZone) }
        set { storage[LocalizerKey.self] = newValue }
    }

    /// The token forms carry, derived from this browser's CSRF cookie.
    var csrfToken: String? {
        get { storage[CSRFKey.self] }
        set { storage[CSRFKey.self] = newValue }
    }

    /// The request's cookies, read from the header once: Vapor's `cookies` parses the Cookie
    /// header again at each look, and the session, the language and the CSRF check each look.
    var sentCookies: HTTPCookies {
        if let parsed = storage[CookiesKey.self] { return parsed }
        let parsed = cookies
        storage[CookiesKey.self] = parsed
        return parsed
    }

    func requireUser() throws(AccessError) -> CurrentUser {
        guard let user = currentUser else { throw .signInRequired }
        return user
    }

    /// Checks a permission before any record is read or written; anonymous people are asked to
    /// sign in, signed-in people without the role get 403.
    @discardableResult
    func authorize(_ permission: Permission, in scope: Scope) throws(AccessError) -> CurrentUser {
        let user = try requireUser()
        guard user.policy.allows(permission, in: scope) else { throw .forbidden }
        return user
    }

    var actor: Actor {
        Actor(userID: currentUser?.id, label: currentUser?.actorLabel ?? "anonymous", requestID: id)
    }

    /// The client's address. Behind N trusted proxies it is the N-th entry of X-Forwarded-For
    /// counted from the right (each proxy appends the address it saw); entries further left
    /// are whatever the client chose to send and are never believed.
    var clientAddress: String {
        ClientAddress.resolve(remote: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trustedProxies: application.config.trustedProxies)
    }

    /// A text filter from the query string: at most `limit` characters, and empty when it holds
    /// a control character (a NUL would reach the database, which refuses it).
    func queryText(_ key: String, limit: Int = 100) -> String {
        guard let text = try? query.get(String.self, at: key), !TextSafety.hasControlCharacters(text) else { return "" }
        return String(text.prefix(limit))
    }

    /// A urlencoded form where a field may repeat (checkboxes, multiple choices): repeated values
    /// are joined by a line break; `name[]` is read as `name`.
    func formMultiValues() throws -> [String: String] {
        guard headers.contentType == .urlEncodedForm, let buffer = body.data else {
            throw PlatformError.badRequest("the form could not be read")
        }
        var result: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = parts.first?.replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = (parts.count > 1 ? String(parts[1]) : "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                throw PlatformError.badRequest("the form could not be read")
            }
            let key = rawKey.hasSuffix("[]") ? String(rawKey.dropLast(2)) : rawKey
            guard !key.contains("["), key.count <= 100 else { throw PlatformError.badRequest("the form could not be read") }
            result[key] = result[key].map { $0 + "\n" + value } ?? value
        }
        return result
    }

    /// Form fields as plain strings; a body that is not a flat form is a clear 400.
    func formValues() throws -> [String: String] {
        do {
            return try content.decode([String: String].self)
        } catch {
            throw PlatformError.badRequest("the form could not be read")
        }
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    var config: AppConfig {
        get { configured(ConfigKey.self) }
        set { storage[ConfigKey.self] = newValue }
    }

    /// A value `configure(_:)` puts in the application's storage (the settings, the gate, the
    /// group commit, the marking lane); asking for one before it has run is a programming error.
    func configured<Key: StorageKey>(_ key: Key.Type) -> Key.Value {
        guard let value = storage[key] else { fatalError("configure(_:) has not run") }
        return value
    }
}
