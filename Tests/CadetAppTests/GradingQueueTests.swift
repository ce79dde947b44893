import CadetSandbox
import Fluent
import Foundation
import Logging
import Testing
import Vapor
@testable import CadetApp

@Suite("The grading queue")
struct GradingQueueTests {
    static let problem = Problem(tests: [TestCase(stdin: "2 3\n", expected: .string("5\n"))])
    static let report = GradingReport(tests: [])

    @Test("a job is claimed by one worker at a time and its result recorded once")
    func claimAndComplete() async throws {
        try await TestApp.withApp { app in
            let queue = GradingQueue(database: app.db)
            let id = try await queue.enqueue(problem: Self.problem, source: "print(5)", purpose: "test")
            let claim = try #require(try await queue.claim(owner: "a", lease: 60))
            #expect(claim.id == id && claim.problem == Self.problem)
            #expect(try await queue.claim(owner: "b", lease: 60) == nil)
            #expect(try await queue.complete(claim, report: Self.report))
            #expect(try await queue.complete(claim, report: Self.report) == false)
            #expect(try await queue.result(of: id) != nil)
        }
    }

    @Test("a worker killed mid-job loses nothing: the lease runs out and another worker grades it; the late result is discarded")
    func leaseExpiry() async throws {
        try await TestApp.withApp { app in
            let queue = GradingQueue(database: app.db)
            let id = try await queue.enqueue(problem: Self.problem, source: "print(5)", purpose: "test")
            let dead = try #require(try await queue.claim(owner: "dead", lease: 30))
            let later = Date().addingTimeInterval(31)
            let rescuer = try #require(try await queue.claim(owner: "alive", lease: 30, now: later))
            #expect(rescuer.id == id)
            #expect(try await queue.complete(rescuer, report: Self.report, now: later))
            #expect(try await queue.complete(dead, report: GradingReport.refused("late", problem: nil), now: later) == false)
            let job = try #require(try await GradingJob.find(id, on: app.db))
            #expect(job.attempts == 2 && job.status == .done && job.verdict == "accepted")
        }
    }

    @Test("a job that keeps losing its worker is given up after three attempts, not retried forever")
    func poisonJob() async throws {
        try await TestApp.withApp { app in
            let queue = GradingQueue(database: app.db)
            let id = try await queue.enqueue(problem: Self.problem, source: "print(5)", purpose: "test")
            var now = Date()
            for _ in 0..<3 {
                _ = try #require(try await queue.claim(owner: "crashy", lease: 10, now: now))
                now = now.addingTimeInterval(11)
            }
            #expect(try await queue.claim(owner: "crashy", lease: 10, now: now) == nil)
            let job = try #require(try await GradingJob.find(id, on: app.db))
            #expect(job.status == .failed && job.verdict == "refused")
        }
    }

    @Test("many workers claiming at once never get the same job")
    func concurrentClaims() async throws {
        try await TestApp.withApp { app in
            let queue = GradingQueue(database: app.db)
            for n in 0..<20 { _ = try await queue.enqueue(problem: Self.problem, source: "print(\(n))", purpose: "test") }
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for worker in 0..<5 {
                    group.addTask {
                        var mine: [UUID] = []
                        while let claim = try await queue.claim(owner: "w\(worker)", lease: 60) { mine.append(claim.id) }
                        return mine
                    }
                }
                return try await group.reduce([], +)
            }
            #expect(claimed.count == 20)
            #expect(Set(claimed).count == 20)
        }
    }

    @Test("the worker grades queued submissions in the real sandbox")
    func workerEndToEnd() async throws {
        try await TestApp.withApp { app in
            let sandbox = try Sandbox(configuration: SandboxConfiguration(concurrency: 2))
            let queue = GradingQueue(database: app.db)
            let worker = GradingWorker(queue: queue, sandbox: sandbox, owner: "test", concurrency: 2, logger: Logger(label: "test"))
            let right = try await queue.enqueue(problem: Self.problem, source: "a, b = map(int, input().split())\nprint(a + b)\n", purpose: "test")
            let wrong = try await queue.enqueue(problem: Self.problem, source: "print(6)\n", purpose: "test")
            #expect(try await worker.gradeNext())
            #expect(try await worker.gradeNext())
            #expect(try await worker.gradeNext() == false)
            #expect(try await queue.result(of: right)?.verdict == .accepted)
            #expect(try await queue.result(of: wrong)?.verdict == .wrongAnswer)
            #expect(try await queue.depth() == 0)
            #expect(try await queue.recentLatencies().count == 2)
        }
    }

    @Test("without a sandbox the worker grades nothing and says why")
    func noSandbox() async throws {
        try await TestApp.withApp { app in
            let sandbox = try Sandbox(configuration: SandboxConfiguration(bubblewrap: "/nonexistent/bwrap", concurrency: 1))
            #expect(await sandbox.probe().reason?.contains("bubblewrap is not installed") == true)
            let queue = GradingQueue(database: app.db)
            let id = try await queue.enqueue(problem: Self.problem, source: "print(5)", purpose: "test")
            let logs = LogCapture()
            let worker = GradingWorker(queue: queue, sandbox: sandbox, owner: "test", concurrency: 1, logger: Logger(label: "test") { _ in logs })
            let task = Task { await worker.run(recheck: .milliseconds(50)) }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            _ = await task.value
            #expect(try await GradingJob.find(id, on: app.db)?.status == .queued)
            #expect(logs.messages.contains { $0.contains("grading paused") && $0.contains("bubblewrap is not installed") })
        }
    }
}

/// Keeps what a logger said, for tests that check a message was given.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var messages: [String] { lock.withLock { lines } }

    func log(event: LogEvent) {
        let extra = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lock.withLock { lines.append("\(event.message) \(extra)") }
    }
}
