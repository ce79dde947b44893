#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs untrusted Python against a question's tests and returns verdicts.
///
/// Each submission runs once, in one bubblewrap sandbox, with one harness process that forks a
/// child per test case: starting Python once per submission is what makes 60 submissions a
/// second possible on two cores.
public final class Sandbox: Sendable {
    public let configuration: SandboxConfiguration
    let launcher: Launcher
    private let slots: Slots
    private let seccomp: Data?

    /// - Parameter unsandboxedForBenchmark: runs the same harness with no isolation. Only the
    ///   benchmark uses it, to measure the floor; nothing configurable reaches it.
    public init(configuration: SandboxConfiguration = .init(), unsandboxedForBenchmark: Bool = false) throws {
        self.configuration = configuration
        guard let url = Bundle.module.url(forResource: "harness", withExtension: "py", subdirectory: "Harness"),
              let harness = try? String(contentsOf: url, encoding: .utf8) else {
            throw SandboxUnavailable(reason: "the grading harness (harness.py) is missing from the installation")
        }
        self.launcher = Launcher(configuration: configuration, isolation: unsandboxedForBenchmark ? .none : .bubblewrap, harness: harness)
        self.slots = Slots(count: configuration.concurrency, firstUserID: configuration.firstUserID)
        self.seccomp = SeccompFilter.native.map(SeccompFilter.program(for:))
    }

    /// Grades one submission. Never throws for anything the submission does: hostile programs
    /// get verdicts. Throws only when the sandbox itself cannot run.
    public func grade(source: Data, problem: Problem) async throws -> GradingReport {
        let issues = problem.problems()
        if !issues.isEmpty {
            return .refused("The question is not valid: " + issues.joined(separator: "; "), problem: problem)
        }
        let text: String
        switch SourceCheck.text(from: source) {
        case .success(let value): text = value
        case .failure(let refusal): return .refused(refusal.reason, problem: problem)
        }
        let userID = await slots.acquire()
        defer { Task { await slots.release(userID) } }
        let outcome = try await runBlocking { [self] in
            try self.runHarness(source: text, problem: problem, userID: userID)
        }
        return interpret(outcome, problem: problem)
    }

    private func runHarness(source: String, problem: Problem, userID: UInt32) throws -> ChildProcess.Outcome {
        let request = HarnessRequest(source: source, problem: problem, processBase: Launcher.processBase,
                                     isolated: launcher.isolation == .bubblewrap)
        let command = launcher.command(limits: problem.limits, userID: userID)
        let limits = problem.limits
        // Each test reports at most its capped output, its capped return value and a stderr tail.
        let perTest = (limits.outputKiB << 10) * 2 + (8 << 10)
        var process = ChildProcess(executable: command.executable, arguments: command.arguments)
        process.userID = command.user
        process.stdin = request.data
        process.descriptor3 = launcher.isolation == .bubblewrap ? seccomp : nil
        process.stdoutLimit = perTest * problem.tests.count * 2 + (64 << 10)
        process.timeout = Double(problem.tests.count) * (limits.wallSeconds + 0.5) + 5
        return try process.run()
    }

    private func interpret(_ outcome: ChildProcess.Outcome, problem: Problem) -> GradingReport {
        let judge = Judge(problem: problem)
        if let report = HarnessReport(parsing: outcome.stdout) {
            return judge.report(from: report)
        }
        if outcome.timedOut {
            return judge.report(allFailing: .timeLimit, message: "The program did not finish in time.")
        }
        // The harness is gone without a report: the submission killed it (kill(getppid())), or
        // the sandbox failed to start. Either way nothing is credited.
        let detail = String(decoding: outcome.stderr.suffix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = outcome.signal != nil
            ? "The program stopped the grader (signal \(outcome.signal!))."
            : "The grader ended without a result" + (detail.isEmpty ? "." : ": \(detail)")
        return judge.report(allFailing: .runtimeError, message: message)
    }

    /// Whether grading can run here, checked by running a tiny program through the real path.
    public func probe() async -> SandboxStatus {
        let fm = FileManager.default
        if launcher.isolation == .bubblewrap, !fm.isExecutableFile(atPath: configuration.bubblewrap) {
            return .unavailable("bubblewrap is not installed at \(configuration.bubblewrap) (Debian: apt-get install bubblewrap)")
        }
        if !fm.isExecutableFile(atPath: configuration.python) {
            return .unavailable("python3 is not installed at \(configuration.python) (Debian: apt-get install python3)")
        }
        let problem = Problem(tests: [TestCase(stdin: "6 7\n", expected: .string("42\n"))])
        let source = Data("a, b = map(int, input().split())\nprint(a * b)\n".utf8)
        do {
            let report = try await grade(source: source, problem: problem)
            guard report.verdict == .accepted else {
                return .unavailable("the sandbox probe failed: \(report.tests.first?.message ?? report.message ?? report.verdict.rawValue)")
            }
            return .available
        } catch {
            return .unavailable("the sandbox probe failed: \(error)")
        }
    }

    private func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

public enum SandboxStatus: Equatable, Sendable {
    case available
    case unavailable(String)

    public var reason: String? {
        if case .unavailable(let reason) = self { reason } else { nil }
    }
}

public struct SandboxUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// Hands each concurrent run its own user id (and so its own process count) and bounds how
/// many run at once.
actor Slots {
    private var free: [UInt32]
    private var waiting: [CheckedContinuation<UInt32, Never>] = []

    init(count: Int, firstUserID: UInt32) {
        free = (0..<UInt32(count)).map { firstUserID + $0 }.reversed()
    }

    func acquire() async -> UInt32 {
        if let id = free.popLast() { return id }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func release(_ id: UInt32) {
        if waiting.isEmpty {
            free.append(id)
        } else {
            waiting.removeFirst().resume(returning: id)
        }
    }
}

/// What grading needs from a sandbox: whether it can run now, and a verdict for a submission.
/// `Sandbox` is the real one (bubblewrap); tests of the queue and the worker may use a double.
public protocol CodeRunner: Sendable {
    func probe() async -> SandboxStatus
    func grade(source: Data, problem: Problem) async throws -> GradingReport
}

extension Sandbox: CodeRunner {}
