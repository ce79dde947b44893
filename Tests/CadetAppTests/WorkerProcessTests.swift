#if canImport(Glibc)
import Glibc
#endif
import CadetSandbox
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import CadetApp

/// `cadet grade-worker` as a real process: killed with SIGKILL in the middle of a job, it loses
/// nothing; the next worker grades the job, the result is recorded once, and no sandboxed
/// process outlives the dead worker.
@Suite("Grading workers as processes")
struct WorkerProcessTests {
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cadet").path
    }

    static func startWorker(_ env: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["grade-worker", "--concurrency", "1"]
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Processes of `worker`'s sandboxes still running the grading harness (its code is on their
    /// command line; they run as the user ids `SandboxConfiguration` derives from the worker's pid).
    static func harnessProcesses(of worker: Process) -> [String] {
        let first = SandboxConfiguration.defaultFirstUserID(forProcess: worker.processIdentifier)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let command = String(decoding: data, as: UTF8.self)
            guard command.contains("Cadet grading harness") else { return nil }
            var info = stat()
            guard stat("/proc/\(entry)", &info) == 0, (first..<first + 64).contains(info.st_uid) || getuid() != 0 else { return nil }
            let state = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
            return state == "Z" ? nil : entry
        }
    }

    static func poll<T>(timeout: Duration, _ check: () async throws -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test("a worker killed mid-job loses nothing; the next one grades it once")
    func killedWorker() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build cadet first (make test does)")
        try await CommandTests.withDatabase { env in
            let config = try AppConfig.load()
            try await CommandSupport.withApp(config) { app in
                let queue = GradingQueue(database: app.db)
                let slow = Problem(limits: SandboxLimits(cpuSeconds: 2, wallSeconds: 20, memoryMiB: 128, outputKiB: 16, processes: 4, fileKiB: 64, tmpMiB: 1, openFiles: 32),
                                   tests: [TestCase(stdin: "", expected: .string("done\n"))])
                let id = try await queue.enqueue(problem: slow, source: "import time\ntime.sleep(2)\nprint('done')\n", purpose: "test")

                let first = try Self.startWorker(env)
                let leased = try await Self.poll(timeout: .seconds(30)) { () -> Bool? in
                    try await GradingJob.find(id, on: app.db)?.status == .leased && !Self.harnessProcesses(of: first).isEmpty ? true : nil
                }
                #expect(leased == true, "the first worker never started the job")
                kill(first.processIdentifier, SIGKILL)
                let gone = try await Self.poll(timeout: .seconds(5)) { Self.harnessProcesses(of: first).isEmpty ? true : nil }
                #expect(gone == true, "sandboxed processes outlived their worker: \(Self.harnessProcesses(of: first))")
                let orphan = try #require(try await GradingJob.find(id, on: app.db))
                #expect(orphan.status == .leased && orphan.resultJSON == nil)

                // Rather than wait out the lease, let it run out now.
                try await (app.db as! any SQLDatabase).update(GradingJob.schema).set("lease_expires_at", to: Date().addingTimeInterval(-1)).run()
                let second = try Self.startWorker(env)
                defer { kill(second.processIdentifier, SIGKILL) }
                let done = try await Self.poll(timeout: .seconds(30)) { try await GradingJob.find(id, on: app.db).flatMap { $0.status == .done ? $0 : nil } }
                let job = try #require(done, "the second worker did not grade the job")
                #expect(job.attempts == 2)
                #expect(job.verdict == "accepted")
                #expect(job.leaseOwner?.hasSuffix(":\(second.processIdentifier)") == true)
            }
        }
    }
}
