import ArgumentParser
import CadetSandbox
import Foundation
import Vapor

/// Benchmarks print ratios against a baseline measured in the same run; the machines are shared
/// and noisy, so absolute times mean little and tests never assert them.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure Cadet's speed.", subcommands: Capabilities.subcommands(of: .bench))
}

struct SandboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Sandboxed grading throughput against plain python3, and queue latency.")

    @Option(help: "Seconds to measure each throughput for.") var seconds = 10.0
    @Option(help: "Submissions graded at once (default: the number of cores).") var concurrency: Int?
    @Option(help: "Jobs sent one at a time through the queue to time submit-to-verdict.") var samples = 60

    /// A beginner problem: five test cases of a sum.
    static let problem = Problem(tests: (1...5).map { n in
        TestCase(stdin: "\(n) \(n * 7)\n", expected: .string("\(n * 8)\n"))
    })
    static let source = "a, b = map(int, input().split())\nprint(a + b)\n"

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        let lanes = concurrency ?? ProcessInfo.processInfo.activeProcessorCount
        let sandboxConfig = SandboxConfiguration(bubblewrap: config.sandboxBubblewrap, python: config.sandboxPython, concurrency: lanes)
        let sandboxed = try Sandbox(configuration: sandboxConfig)
        if let reason = await sandboxed.probe().reason { throw CommandFailure("the sandbox is not available: \(reason)") }
        let floor = try Sandbox(configuration: sandboxConfig, unsandboxedForBenchmark: true)

        print("Grading a 5-test beginner problem, \(lanes) at a time, \(seconds) s each, on \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let floorRate = try await throughput(floor, lanes: lanes)
        print(String(format: "  plain python3 harness (floor): %7.1f submissions/s", floorRate))
        let sandboxRate = try await throughput(sandboxed, lanes: lanes)
        print(String(format: "  bubblewrap sandbox:            %7.1f submissions/s", sandboxRate))
        print(String(format: "  ratio sandbox/floor:           %7.2f   (target >= 0.60; absolute target >= 60/s on 2 cores)", sandboxRate / floorRate))

        let latencies = try await QueueLatency.measure(config: config, sandbox: sandboxed, samples: samples)
        print(String(format: "Queue submit-to-verdict over %d jobs (%@): median %.1f ms, p95 %.1f ms   (target: median < 150 ms)",
                     latencies.count, describe(config.database), CadetMetrics.percentile(latencies, 0.5) * 1000, CadetMetrics.percentile(latencies, 0.95) * 1000))
    }

    private func throughput(_ sandbox: Sandbox, lanes: Int) async throws -> Double {
        let source = Data(Self.source.utf8)
        for _ in 0..<3 { _ = try await sandbox.grade(source: source, problem: Self.problem) }
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<lanes {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        let report = try await sandbox.grade(source: source, problem: Self.problem)
                        guard report.verdict == .accepted else { throw CommandFailure("the benchmark's answer was not accepted: \(report)") }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - started
        return Double(counts) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func describe(_ database: AppConfig.DatabaseLocation) -> String {
        database.isPostgres ? "PostgreSQL" : "SQLite"
    }
}

/// Submit-to-verdict through the real queue with an idle in-process worker.
enum QueueLatency {
    static func measure(config: AppConfig, sandbox: Sandbox, samples: Int) async throws -> [Double] {
        var benchConfig = config
        if !config.database.isPostgres {
            benchConfig.database = .sqliteFile(NSTemporaryDirectory() + "cadet-bench-\(UUID().uuidString).sqlite")
        }
        return try await CommandSupport.withApp(benchConfig) { app in
            try await app.autoMigrate()
            try await DatabaseTuning.apply(app)
            let queue = GradingQueue(database: app.db)
            let worker = GradingWorker(queue: queue, sandbox: sandbox, owner: "bench", concurrency: 1, logger: Logger(label: "bench"))
            let task = Task { await worker.run() }
            defer { task.cancel() }
            var latencies: [Double] = []
            for _ in 0..<samples {
                let started = ContinuousClock.now
                let id = try await queue.enqueue(problem: SandboxBench.problem, source: SandboxBench.source, purpose: "bench")
                while try await queue.result(of: id) == nil {
                    try await Task.sleep(for: .milliseconds(2))
                }
                let elapsed = ContinuousClock.now - started
                latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            if case .sqliteFile(let path) = benchConfig.database, path.contains("cadet-bench-") {
                try? FileManager.default.removeItem(atPath: path)
            }
            return latencies.sorted()
        }
    }
}
