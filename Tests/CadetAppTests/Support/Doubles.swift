import CadetSandbox
import Foundation
import Synchronization
import Testing
@testable import CadetApp

/// A clock that stands where a test puts it.
final class FixedClock: AppClock {
    private let current: Mutex<Date>

    init(_ date: Date) { current = Mutex(date) }

    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// A mailer that keeps what it is given. Any message to an address not in `expected` fails the
/// test at once: nothing is mailed that the test did not mean to send.
final class RecordingMailer: Mailer {
    let expected: Set<String>
    private let sent = Mutex<[(to: String, subject: String)]>([])

    init(expecting recipients: Set<String>) { expected = recipients }

    func send(to recipient: String, subject: String, body: String) async throws {
        if !expected.contains(recipient) { Issue.record("unexpected mail to \(recipient): \(subject)") }
        sent.withLock { $0.append((recipient, subject)) }
    }

    var messages: [(to: String, subject: String)] { sent.withLock { $0 } }
}

/// A sandbox that answers from a script: each source gets the report the test wrote for it. A
/// source the test did not foresee fails it, so no code reaches a runner by mistake.
struct ScriptedRunner: CodeRunner {
    let reports: [String: GradingReport]

    func probe() async -> SandboxStatus { .available }

    func grade(source: Data, problem: Problem) async throws -> GradingReport {
        let text = String(decoding: source, as: UTF8.self)
        guard let report = reports[text] else {
            Issue.record("unexpected submission reached the sandbox: \(text.prefix(80))")
            throw TestFailure("not scripted")
        }
        return report
    }
}
