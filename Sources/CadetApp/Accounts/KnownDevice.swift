import CadetCore
import Fluent
import Vapor

/// A browser that has signed in to an account before carries a signed cookie naming it. Failed
/// sign-ins elsewhere never hold such a browser back, so an attacker who fails on purpose
/// (one account, or every account from the academy's shared address on test day) cannot lock
/// the real owner out. A browser that has never signed in can be made known through a link
/// mailed to the account's owner.
enum KnownDevice {
    static let cookieName = "cadet_device"
    static let lifetime: TimeInterval = 180 * 24 * 3600
    static let unlockLifetime: TimeInterval = 30 * 60
    /// Unlock links per account per hour, so the owner's inbox cannot be flooded.
    static let unlockLinksPerAccount = AttemptThrottle(limit: 3, window: 3600, lockout: 3600)

    static func remember(_ userID: UUID, on response: Response, secret: String, secure: Bool, now: Date = Date()) {
        let token = SignedToken.make(.knownDevice, subject: userID.uuidString, expires: now.addingTimeInterval(lifetime), secret: secret)
        response.cookies[cookieName] = HTTPCookies.Value(string: token, expires: nil, maxAge: Int(lifetime), domain: nil, path: "/signin",
                                                        isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    static func sendUnlockLink(email rawEmail: String, on req: Request, now: Date = Date()) async throws {
        let email = EmailAddress.normalise(rawEmail)
        guard EmailAddress.isPlausible(email), let user = try await User.query(on: req.db).filter(\.$email == email).first() else { return }
        let keys = [("unlock:\(email)", unlockLinksPerAccount)]
        guard try await ThrottleStore.remainingLock(keys: keys, on: req.db, now: now) == nil else { return }
        try await ThrottleStore.recordFailure(keys: keys, on: req.db, now: now)
        let secret = try await req.application.secrets.key(on: req.db)
        let token = SignedToken.make(.unlockSignIn, subject: try user.requireID().uuidString, expires: now.addingTimeInterval(unlockLifetime), secret: secret)
        let link = req.application.config.publicURL.appendingPathComponent("signin/unlock").absoluteString + "?token=\(token)"
        let t = req.localizer
        try await Outbox.enqueue(to: email, subject: t("mail.unlock.subject"),
                                 body: t("mail.unlock.body", ["name": user.name, "link": link, "minutes": String(Int(unlockLifetime / 60))]),
                                 kind: "unlock_sign_in", on: req.db)
    }
}
