import Fluent
import SQLKit
import Vapor

/// Sends outbox messages through the application's mailer (SMTP when CADET_SMTP_URL is set);
/// without one they stay in the outbox for staff to read.
enum OutboxDelivery {
    static let maximumAttempts = 5
    /// How long a claimed message is left to its sender: longer than an SMTP exchange takes
    /// (its connection gives up after 10 s), short enough that a message whose sender died is
    /// tried again within minutes.
    static let sendingLease: TimeInterval = 120

    static func job(_ app: Application) -> BackgroundJob? {
        guard let mailer = app.mailer else { return nil }
        let db = app.db
        return .every(.seconds(5), name: "outbox delivery", logger: app.logger) {
            try await deliverPending(db: db, mailer: mailer)
        }
    }

    /// Sends what is waiting. Every process that serves runs this, so each message is claimed
    /// first, and only the sender whose claim took sends it: one e-mail, however many servers.
    static func deliverPending(db: any Database, mailer: any Mailer, now: Date = Date()) async throws {
        let pending = try await OutboxMessage.query(on: db)
            .filter(\.$sentAt == nil)
            .filter(\.$attempts < maximumAttempts)
            .group(.or) { $0.filter(\.$sendingUntil == nil).filter(\.$sendingUntil < now) }
            .sort(\.$createdAt)
            .limit(20)
            .all()
        for message in pending {
            guard try await claim(message, now: now, on: db) else { continue }
            do {
                try await mailer.send(to: message.recipient, subject: message.subject, body: message.body)
                message.sentAt = Date()
                message.lastError = nil
            } catch {
                message.lastError = String(String(describing: error).prefix(300))
            }
            message.sendingUntil = nil
            try await message.update(on: db)
        }
    }

    /// Takes the message for this sender, if nobody has taken it since it was read: the count
    /// of attempts is both the claim and the check.
    private static func claim(_ message: OutboxMessage, now: Date, on db: any Database) async throws -> Bool {
        let claimed = try await (db as! any SQLDatabase).update(OutboxMessage.schema)
            .set("attempts", to: message.attempts + 1).set("sending_until", to: now.addingTimeInterval(sendingLease))
            .where("id", .equal, message.id!).where("attempts", .equal, message.attempts).where("sent_at", .is, SQLLiteral.null)
            .returning("id").first() != nil
        guard claimed else { return false }
        message.attempts += 1
        return true
    }
}
