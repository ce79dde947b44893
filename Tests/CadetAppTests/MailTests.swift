import Fluent
import Foundation
import Logging
import Testing
import Vapor
@testable import CadetApp

/// Delivery through a real SMTP server: aiosmtpd (PyPI), writing what it receives to a Maildir.
@Suite("Sending the outbox by e-mail")
struct MailTests {
    final class SMTPServer {
        let port: Int
        let maildir: String
        let process: Process

        init() throws {
            maildir = NSTemporaryDirectory() + "cadet-maildir-\(UUID().uuidString)"
            // Below Linux's ephemeral range (32768–60999), where the suites' own outgoing
            // connections take their ports: a port from there was once already taken, and
            // aiosmtpd exited at start.
            port = Int.random(in: 20_000...32_000)
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir]
            // Its output must not hold the test runner's pipes open after the test.
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Waits until the server accepts connections (or says why it cannot start).
        func waitUntilReady() async throws {
            for _ in 0..<100 {
                try #require(process.isRunning, "aiosmtpd did not start: install it with `pip install aiosmtpd` (make test does)")
                if (try? await SMTPMailer(url: URL(string: "smtp://127.0.0.1:\(port)")!, from: "probe@cadet.local", logger: Logger(label: "t")).probe()) == true { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("aiosmtpd did not answer on port \(port)")
        }

        func messages() throws -> [String] {
            let folder = maildir + "/new"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return try names.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        }

        /// Stops the server with SIGKILL: the test runner may leave SIGTERM ignored, which the
        /// server would inherit. (Not `waitUntilExit()`: it waits on a run loop no test task turns.)
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            try? FileManager.default.removeItem(atPath: maildir)
        }
    }

    @Test("queued messages go out by SMTP with Korean intact, and are marked sent")
    func delivery() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        try await server.waitUntilReady()
        try await TestApp.withApp { app in
            try await Outbox.enqueue(to: "minjun@example.org", subject: "Cadet 비밀번호 재설정", body: "안녕하세요.\n.\n링크: https://cadet.example/x", kind: "test", on: app.db)
            let mailer = SMTPMailer(url: URL(string: "smtp://127.0.0.1:\(server.port)")!, from: "Cadet <no-reply@cadet.example>", logger: app.logger)
            try await OutboxDelivery.deliverPending(db: app.db, mailer: mailer)
            let message = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(message.sentAt != nil && message.lastError == nil)
            let received = try #require(try server.messages().first)
            #expect(received.contains("To: <minjun@example.org>"))
            #expect(received.contains("Subject: =?UTF-8?B?\(Data("Cadet 비밀번호 재설정".utf8).base64EncodedString())?="))
            let body = try #require(received.components(separatedBy: "\n\n").dropFirst().first)
            let decoded = String(decoding: Data(base64Encoded: body.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "\r", with: "")) ?? Data(), as: UTF8.self)
            #expect(decoded.contains("안녕하세요.\r\n.\r\n링크"))
        }
    }

    /// Every `cadet serve` sharing a database runs the outbox job: two of them at once, over
    /// the same messages, must still send each message once.
    @Test("two senders at once send each message once")
    func twoSenders() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        try await server.waitUntilReady()
        try await TestApp.withApp { app in
            for n in 0..<12 {
                try await Outbox.enqueue(to: "trainee\(n)@example.org", subject: "s\(n)", body: "b", kind: "test", on: app.db)
            }
            let mailer = SMTPMailer(url: URL(string: "smtp://127.0.0.1:\(server.port)")!, from: "no-reply@cadet.example", logger: app.logger)
            async let first: Void = OutboxDelivery.deliverPending(db: app.db, mailer: mailer)
            async let second: Void = OutboxDelivery.deliverPending(db: app.db, mailer: mailer)
            _ = try await (first, second)
            let recipients = try server.messages().compactMap { message in
                message.split(separator: "\n").first { $0.hasPrefix("To: ") }.map { String($0.dropFirst(4)).trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            #expect(recipients.count == 12, "\(recipients.sorted())")
            #expect(Set(recipients) == Set((0..<12).map { "<trainee\($0)@example.org>" }))
            let messages = try await OutboxMessage.query(on: app.db).all()
            #expect(messages.allSatisfy { $0.sentAt != nil && $0.attempts == 1 && $0.sendingUntil == nil })
        }
    }

    @Test("a server that refuses leaves the message in the outbox with the reason, to be tried again")
    func refusal() async throws {
        try await TestApp.withApp { app in
            try await Outbox.enqueue(to: "minjun@example.org", subject: "s", body: "b", kind: "test", on: app.db)
            // Nothing listens on port 1.
            let mailer = SMTPMailer(url: URL(string: "smtp://127.0.0.1:1")!, from: "no-reply@cadet.example", logger: app.logger)
            try await OutboxDelivery.deliverPending(db: app.db, mailer: mailer)
            let message = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(message.sentAt == nil && message.attempts == 1 && message.lastError != nil)
        }
    }

    @Test("a header with a line break is refused before anything is sent")
    func headerInjection() async throws {
        let mailer = SMTPMailer(url: URL(string: "smtp://127.0.0.1:1")!, from: "no-reply@cadet.example", logger: Logger(label: "t"))
        await #expect(throws: SMTPMailer.Failure.self) {
            try await mailer.send(to: "a@example.org\r\nBcc: everyone@example.org", subject: "s", body: "b")
        }
    }
}
