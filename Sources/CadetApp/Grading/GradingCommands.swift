import ArgumentParser
import CadetSandbox
import Foundation
import Logging
import Vapor

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Run programs in the grading sandbox.", subcommands: [Run.self])

    /// Grades one file the way a worker would and prints the verdicts as JSON: how staff check a
    /// new question against its reference solution.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grade SOLUTION.py against TESTS.json (see docs/sandbox.md).")

        @Option(help: "The question's tests, as JSON.") var tests: String
        @Argument(help: "The Python program to grade.") var solution: String

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            let problem: Problem
            do {
                problem = try JSONDecoder().decode(Problem.self, from: Data(contentsOf: URL(fileURLWithPath: tests)))
            } catch {
                throw CommandFailure("\(tests): not a valid tests file: \(SandboxCommand.describe(error))")
            }
            let issues = problem.problems()
            guard issues.isEmpty else { throw CommandFailure("\(tests):\n  " + issues.joined(separator: "\n  ")) }
            guard let source = FileManager.default.contents(atPath: solution) else { throw CommandFailure("\(solution): cannot be read") }
            let sandbox = try Sandbox(configuration: SandboxConfiguration(bubblewrap: config.sandboxBubblewrap, python: config.sandboxPython, concurrency: 1))
            if let reason = await sandbox.probe().reason { throw CommandFailure("the sandbox is not available: \(reason)") }
            let report = try await sandbox.grade(source: source, problem: problem)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        default:
            return String(describing: error)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

struct GradeWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grade-worker", abstract: "Take grading jobs from the database queue and grade them.")

    @Option(help: "Submissions graded at once (default: the number of cores).") var concurrency: Int?

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        CommandSupport.bootstrapLogging(config)
        try await CommandSupport.withApp(config) { app in
            try await MigrationStatus.requireCurrent(app)
            let lanes = concurrency ?? config.graderConcurrency
            let sandbox = try Sandbox(configuration: SandboxConfiguration(bubblewrap: config.sandboxBubblewrap, python: config.sandboxPython, concurrency: lanes))
            let owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
            let worker = GradingWorker.standard(database: app.db, sandbox: sandbox, owner: owner, concurrency: lanes, logger: app.logger)
            let task = Task { await worker.run() }
            await SignalWaiter.waitForTermination()
            task.cancel()
            _ = await task.value
        }
    }
}

/// Waits for SIGINT or SIGTERM, so a worker finishes cleanly when stopped.
enum SignalWaiter {
    static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = NIOLockedValueBox(false)
            var sources: [any DispatchSourceSignal] = []
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if once.withLockedValue({ let first = !$0; $0 = true; return first }) { continuation.resume() }
                }
                source.resume()
                sources.append(source)
            }
            SignalWaiter.keep.withLock { $0 = sources.map(SignalSource.init) }
        }
    }

    /// Dispatch sources stop when released; these must live as long as the process.
    private struct SignalSource: @unchecked Sendable {
        // @unchecked: a resumed DispatchSource is only touched by Dispatch itself.
        let source: any DispatchSourceSignal
    }

    private static let keep = Mutex<[SignalSource]>([])
}

import NIOConcurrencyHelpers
import Synchronization
