import Fluent
import Foundation

/// Messages to people go through the outbox: always kept here (staff can see what was sent),
/// and delivered by e-mail when SMTP is configured.
enum Outbox {
    static func enqueue(to recipient: String, subject: String, body: String, kind: String, on database: any Database) async throws {
        try await OutboxMessage(recipient: recipient, subject: subject, body: body, kind: kind).create(on: database)
    }
}
