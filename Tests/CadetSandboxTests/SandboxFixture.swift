#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import CadetSandbox

/// One sandbox for the whole suite, as a grading worker has: concurrent runs share it.
enum Fixture {
    static let sandbox: Sandbox = {
        do {
            return try Sandbox(configuration: SandboxConfiguration(concurrency: 4))
        } catch {
            fatalError("the sandbox cannot be created: \(error)")
        }
    }()

    /// Tight limits keep the hostile suite quick; verdicts are the same with the defaults.
    static let quick = SandboxLimits(cpuSeconds: 1, wallSeconds: 2, memoryMiB: 128, outputKiB: 16,
                                     processes: 8, fileKiB: 512, tmpMiB: 4, openFiles: 64)

    static func stdio(_ expected: String, stdin: String = "", limits: SandboxLimits = quick) -> Problem {
        Problem(comparison: .trailingWhitespace, limits: limits, tests: [TestCase(stdin: stdin, expected: .string(expected))])
    }

    static func grade(_ source: String, _ problem: Problem) async throws -> GradingReport {
        try await sandbox.grade(source: Data(source.utf8), problem: problem)
    }

    /// The tests fail (not skip) where the sandbox cannot run: CI installs bubblewrap.
    static func requireSandbox() async throws {
        let status = await sandbox.probe()
        try #require(status == .available, "sandbox unavailable: \(status.reason ?? "")")
    }

    /// Processes started from this test process that are still there: a leak if any remain.
    static func leftoverChildren() -> [String] {
        let me = getpid()
        let first = sandbox.configuration.firstUserID
        let ids = first..<(first + UInt32(sandbox.configuration.concurrency))
        var found: [String] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries where Int32(entry) != nil {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            let parent = Int32(fields.count > 1 ? fields[1] : "") ?? 0
            // Zombies are dead already; reaping orphans is init's job.
            if fields.first == "Z" { continue }
            var info = stat_t()
            let owned = stat_path("/proc/\(entry)", &info) == 0 && ids.contains(info.st_uid)
            // Other suites in this test process start children of their own (an SMTP server,
            // grading workers); only sandboxes count here.
            let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
            let sandboxed = command.hasPrefix("/usr/bin/bwrap") || command.contains("Cadet grading harness")
            if (parent == me && sandboxed) || owned {
                found.append("\(entry): \(stat.prefix(80))")
            }
        }
        return found
    }

    /// bubblewrap's namespace init can outlive the run by a moment while the kernel tears the
    /// namespace down; anything still there after a grace period is a leak.
    static func leftoverChildrenAfterGrace() async -> [String] {
        for _ in 0..<30 {
            if leftoverChildren().isEmpty { return [] }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return leftoverChildren()
    }

    static func mountCount() -> Int {
        ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n").count
    }
}

typealias stat_t = stat
@inline(__always) func stat_path(_ path: String, _ buffer: inout stat) -> Int32 { stat(path, &buffer) }

/// Suites that run programs in the real sandbox run one test at a time, so each can check that
/// nothing of its own is left running without seeing another test's runs in flight.
@Suite("Sandbox runs", .serialized)
struct SandboxRuns {}
