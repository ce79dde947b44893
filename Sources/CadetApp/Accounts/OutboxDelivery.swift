import Fluent
import Vapor

/// Sends outbox messages through the application's mailer (SMTP when CADET_SMTP_URL is set);
/// without one they stay in the outbox for staff to read.
enum OutboxDelivery {
    static let maximumAttempts = 5

    static func job(_ app: Application) -> BackgroundJob? {
        guard let mailer = app.mailer else { return nil }
        let db = app.db
        return .every(.seconds(5), name: "outbox delivery", logger: app.logger) {
            try await deliverPending(db: db, mailer: mailer)
        }
    }

    static func deliverPending(db: any Database, mailer: any Mailer) async throws {
        let pending = try await OutboxMessage.query(on: db)
            .filter(\.$sentAt == nil)
            .filter(\.$attempts < maximumAttempts)
            .sort(\.$createdAt)
            .limit(20)
            .all()
        for message in pending {
            message.attempts += 1
            do {
                try await mailer.send(to: message.recipient, subject: message.subject, body: message.body)
                message.sentAt = Date()
                message.lastError = nil
            } catch {
                message.lastError = String(String(describing: error).prefix(300))
            }
            try await message.update(on: db)
        }
    }
}

