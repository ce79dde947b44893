import Foundation
import Vapor

/// The time. Services ask `app.clock` rather than `Date()` where a test needs to stand at a
/// given moment (a deadline, a session that starts in ten minutes).
protocol AppClock: Sendable {
    func now() -> Date
}

struct SystemClock: AppClock {
    func now() -> Date { Date() }
}

/// Sends one e-mail. `SMTPMailer` is the real one; without CADET_SMTP_URL there is none and
/// messages stay in the outbox.
protocol Mailer: Sendable {
    func send(to recipient: String, subject: String, body: String) async throws
}

extension SMTPMailer: Mailer {}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = any AppClock }
    private struct MailerKey: StorageKey { typealias Value = any Mailer }

    var clock: any AppClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    /// The mailer the outbox delivers through, or nil when mail stays in the outbox.
    var mailer: (any Mailer)? {
        get { storage[MailerKey.self] }
        set { storage[MailerKey.self] = newValue }
    }
}

extension Request {
    /// Now, by the application's clock.
    var now: Date { application.clock.now() }
}
