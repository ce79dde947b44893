#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers

/// The server a bench measures: this same `cadet` binary running `serve` in a process of its own,
/// so the takers' load and the server's work are measured apart, and the server can be killed.
final class BenchServer: Sendable {
    let base: String
    let port: Int
    private let environment: [String: String]
    private let graders: Int
    private let log: URL
    private let process = NIOLockedValueBox<Process?>(nil)
    private let peaks = NIOLockedValueBox<[Int]>([])
    /// CPU seconds of earlier lives (before a kill).
    private let spent = NIOLockedValueBox<Double>(0)

    init(environment: [String: String], graders: Int, logDirectory: URL, name: String = "serve") throws {
        port = try Self.freePort()
        base = "http://127.0.0.1:\(port)"
        self.environment = environment
        self.graders = graders
        log = logDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
    }

    func start() async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["serve", "--port", String(port), "--graders", String(graders), "--no-migrate", "--exit-with-parent"]
        child.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        child.standardOutput = handle
        child.standardError = handle
        try child.run()
        process.withLockedValue { $0 = child }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await client.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(2)), response.status == .ok {
                try? await client.shutdown()
                return
            }
            guard child.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try? await client.shutdown()
        throw CommandFailure("the server did not start; its log: \((try? String(contentsOf: log, encoding: .utf8))?.suffix(2000) ?? "")")
    }

    /// SIGKILL: no shutdown, no flushing, like a power cut to the process.
    func kill() {
        guard let child = process.withLockedValue({ $0 }) else { return }
        if let peak = peakMemoryKiB() { peaks.withLockedValue { $0.append(peak) } }
        let used = Self.cpuSeconds(of: child.processIdentifier)
        spent.withLockedValue { $0 += used }
        Glibc.kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
    }

    func stop() {
        guard let child = process.withLockedValue({ $0 }), child.isRunning else { return }
        child.terminate()
        child.waitUntilExit()
    }

    /// The server's peak resident memory (VmHWM), the most over its lives.
    func peakMemoryKiB() -> Int? {
        ([status("VmHWM:")].compactMap { $0 } + peaks.withLockedValue { $0 }).max()
    }

    /// The server's resident memory now (VmRSS).
    func currentMemoryKiB() -> Int? { status("VmRSS:") }

    private func status(_ field: String) -> Int? {
        process.withLockedValue { $0 }.flatMap { child -> Int? in
            guard let status = try? String(contentsOfFile: "/proc/\(child.processIdentifier)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return nil }
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
    }

    /// CPU time (user and system) the server has used, over all its lives.
    func cpuSeconds() -> Double {
        let current = process.withLockedValue { $0 }.map { Self.cpuSeconds(of: $0.processIdentifier) } ?? 0
        return current + spent.withLockedValue { $0 }
    }

    static func cpuSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 13,
              let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// This process's own CPU time: the simulated takers' share of the machine.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure("no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CommandFailure("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
