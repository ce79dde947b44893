import Fluent
import Vapor

/// Sends outbox messages by SMTP when CADET_SMTP_URL is set; otherwise they stay in the outbox
/// for staff to read. Runs inside `cadet serve`.
struct OutboxDelivery: LifecycleHandler {
    static let maximumAttempts = 5

    private final class Box: Sendable {
        let task: NIOLockedValueBox<Task<Void, Never>?> = .init(nil)
    }

    private let box = Box()

    func didBootAsync(_ app: Application) async throws {
        guard let url = app.config.smtpURL else { return }
        let mailer = SMTPMailer(url: url, from: app.config.mailFrom, logger: app.logger)
        let db = app.db
        let logger = app.logger
        box.task.withLockedValue {
            $0 = Task {
                while !Task.isCancelled {
                    do {
                        try await OutboxDelivery.deliverPending(db: db, mailer: mailer)
                    } catch {
                        logger.error("outbox delivery failed", metadata: ["error": .string(String(describing: error))])
                    }
                    try? await Task.sleep(for: .seconds(5))
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task.withLockedValue { $0?.cancel() }
    }

    static func deliverPending(db: any Database, mailer: SMTPMailer) async throws {
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

import NIOConcurrencyHelpers
