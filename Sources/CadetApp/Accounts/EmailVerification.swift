import CadetCore
import Fluent
import Foundation

/// Proving that a person reads mail at their address, with a signed link that lasts two days.
/// Until then nothing is claimed for them by e-mail (see `ApplicationOwner`).
struct EmailVerification {
    static let lifetime: TimeInterval = 48 * 3600

    let database: any Database
    let secret: String
    let publicURL: URL

    func link(for user: User, now: Date = Date()) throws -> String {
        let token = SignedToken.make(.verifyEmail, subject: "\(try user.requireID().uuidString):\(user.email)",
                                     expires: now.addingTimeInterval(Self.lifetime), secret: secret)
        return publicURL.appendingPathComponent("account/verify").absoluteString + "?token=\(token)"
    }

    func send(to user: User, localizer t: Localizer, now: Date = Date()) async throws {
        try await Outbox.enqueue(to: user.email, subject: t("mail.verify.subject"),
                                 body: t("mail.verify.body", ["name": user.name, "link": try link(for: user, now: now),
                                                              "hours": String(Int(Self.lifetime / 3600))]),
                                 kind: "verify_email", on: database)
    }

    /// Marks the address verified. The link names the account and the address it was sent to,
    /// so it proves nothing once the account's address is another.
    @discardableResult
    func verify(token: String, actor: Actor, now: Date = Date()) async throws -> User {
        guard let subject = SignedToken.open(token, .verifyEmail, secret: secret, now: now),
              let colon = subject.firstIndex(of: ":"), let id = UUID(uuidString: String(subject[..<colon])),
              let user = try await User.find(id, on: database), user.email == subject[subject.index(after: colon)...] else {
            throw AccountError.verifyLinkInvalid
        }
        guard user.emailVerifiedAt == nil else { return user }
        user.emailVerifiedAt = now
        try await database.transaction { db in
            try await user.update(on: db)
            try await AuditLog.record(AuditEntry(action: "user.email_verified", entityType: "user", entityID: id, summary: user.email),
                                      by: Actor(userID: id, label: user.email, requestID: actor.requestID), on: db)
        }
        return user
    }
}
