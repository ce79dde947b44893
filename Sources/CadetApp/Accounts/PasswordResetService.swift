import CadetCore
import Fluent
import Foundation
import SQLKit

/// One-time, expiring reset links delivered through the outbox.
struct PasswordResetService {
    static let lifetime: TimeInterval = 60 * 60
    /// At most this many links per account per lifetime, so the outbox cannot be flooded.
    static let perAccountLimit = 3

    let database: any Database
    /// Only resetting needs it; sending a link does not.
    let hasher: PasswordHasher?
    let publicURL: URL

    /// Sends a link if the account exists; says nothing either way, so the form does not reveal
    /// who has an account.
    enum Purpose: String {
        /// Someone forgot their password.
        case reset
        /// Staff added someone who has never had a password.
        case invitation
        /// Someone signed up with an address that already has an account: its owner gets a
        /// password link, and the form says nothing different.
        case existingAccount = "existing_account"
    }

    func requestLink(email rawEmail: String, purpose: Purpose = .reset, localizer t: Localizer, actor: Actor) async throws {
        let email = EmailAddress.normalise(rawEmail)
        guard EmailAddress.isPlausible(email), let user = try await User.query(on: database).filter(\.$email == email).first() else {
            return
        }
        let userID = try user.requireID()
        let recent = try await PasswordReset.query(on: database)
            .filter(\.$user.$id == userID)
            .filter(\.$expiresAt > Date())
            .count()
        guard recent < Self.perAccountLimit else { return }
        let token = Tokens.random()
        let link = publicURL.appendingPathComponent("password/reset").absoluteString + "?token=\(token)"
        try await database.transaction { db in
            try await PasswordReset(userID: userID, tokenHash: Tokens.sha256(token), expiresAt: Date().addingTimeInterval(lifetime(purpose))).create(on: db)
            try await Outbox.enqueue(
                to: email,
                subject: t("mail.\(purpose.rawValue).subject"),
                body: t("mail.\(purpose.rawValue).body", ["name": user.name, "link": link, "hours": String(Int(lifetime(purpose) / 3600))]),
                kind: purpose == .reset ? "password_reset" : purpose.rawValue, on: db)
            try await AuditLog.record(AuditEntry(action: "user.password_reset_requested", entityType: "user", entityID: userID, summary: email), by: actor, on: db)
        }
    }

    /// Reset links last an hour; invitations a week, since people read them later.
    private func lifetime(_ purpose: Purpose) -> TimeInterval {
        purpose == .invitation ? 7 * 24 * 3600 : Self.lifetime
    }

    /// Every link not yet used stops working: after a reset or a password change, an older
    /// link (perhaps in a mailbox someone else reads) must not set the password again.
    static func invalidateLinks(of userID: UUID, on db: any Database, now: Date = Date()) async throws {
        try await PasswordReset.query(on: db).filter(\.$user.$id == userID).filter(\.$usedAt == nil).set(\.$usedAt, to: now).update()
    }

    func isUsable(token: String) async throws -> Bool {
        try await find(token) != nil
    }

    func reset(token: String, values: [String: String], actor: Actor) async throws {
        guard let reset = try await find(token) else { throw AccountError.resetLinkInvalid }
        var reader = FieldReader(values)
        let password = AccountDraft.readNewPassword(&reader, values: values)
        try reader.check()
        guard let hasher else { throw PlatformError.unavailable }
        let hash = try await hasher.hash(password!)
        try await database.transaction { db in
            // Claim the token first: of two concurrent uses, only one gets the row back.
            let claimed = try await (db as! any SQLDatabase).update(PasswordReset.schema)
                .set("used_at", to: Date())
                .where("id", .equal, reset.id!)
                .where("used_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard !claimed.isEmpty, let user = try await User.find(reset.$user.id, on: db) else {
                throw AccountError.resetLinkInvalid
            }
            user.passwordHash = hash
            // The link came to this address, so the person reads mail there.
            if user.emailVerifiedAt == nil { user.emailVerifiedAt = Date() }
            try await user.update(on: db)
            try await Sessions.endAll(for: reset.$user.id, on: db)
            try await PasswordResetService.invalidateLinks(of: reset.$user.id, on: db)
            try await AuditLog.record(AuditEntry(action: "user.password_reset", entityType: "user", entityID: reset.$user.id, summary: user.email),
                                      by: Actor(userID: reset.$user.id, label: user.email, requestID: actor.requestID), on: db)
        }
    }

    private func find(_ token: String) async throws -> PasswordReset? {
        guard token.nonEmptyToken != nil else { return nil }
        return try await PasswordReset.query(on: database)
            .filter(\.$tokenHash == Tokens.sha256(token))
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > Date())
            .first()
    }
}
