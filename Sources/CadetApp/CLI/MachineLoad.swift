import Foundation

/// Where the machine went during a bench, from `/proc`: the cores' time between the server, the
/// simulated takers, PostgreSQL when it runs here, everything else (the sandbox's runs, other
/// processes), idle, waiting for the disk, and stolen — time the hypervisor gave to other
/// guests; and how long the disk took over each write and each flush (what an `fsync` waits
/// for). On shared machines the same build's tails move severalfold with the neighbours' load;
/// printed beside the figures, this says whether a run was measured on a quiet machine.
struct MachineLoad: Sendable {
    /// Seconds since boot, summed over the cores.
    var busy = 0.0, idle = 0.0, diskWait = 0.0, stolen = 0.0
    var postgres = 0.0
    /// Filled in by the bench, which knows its own processes.
    var server = 0.0, takers = 0.0
    /// Over the whole disks since boot: writes and flushes completed, and the milliseconds spent on them.
    var writes = 0.0, writingMs = 0.0, flushes = 0.0, flushingMs = 0.0

    /// Now, or nil where there is no `/proc/stat` to read.
    static func now(server: Double, takers: Double) -> MachineLoad? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        // user nice system idle iowait irq softirq steal; guest time is counted inside user.
        var load = MachineLoad(busy: (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / hz, idle: ticks[3] / hz, diskWait: ticks[4] / hz,
                               stolen: ticks[7] / hz, postgres: postgresSeconds(), server: server, takers: takers)
        load.readDisks()
        return load
    }

    /// The CPU of the running processes named `postgres`: the database, if it is on this machine.
    private static func postgresSeconds() -> Double {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        return entries.reduce(0) { sum, entry in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8), stat.contains("(postgres)") else { return sum }
            return sum + BenchServer.cpuSeconds(of: pid)
        }
    }

    /// `/proc/diskstats`, whole disks only (those under /sys/block, not partitions, loop or RAM disks).
    private mutating func readDisks() {
        guard let text = try? String(contentsOfFile: "/proc/diskstats", encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 11, !["loop", "ram", "zram"].contains(where: fields[2].hasPrefix),
                  FileManager.default.fileExists(atPath: "/sys/block/\(fields[2])") else { continue }
            let numbers = fields.dropFirst(3).map { Double($0) ?? 0 }
            writes += numbers[4]
            writingMs += numbers[7]
            if numbers.count >= 17 {
                flushes += numbers[15]
                flushingMs += numbers[16]
            }
        }
    }

    /// The shares of the machine between two readings, in percent of all its cores' time, and
    /// the disk's time a write and a flush.
    static func shares(from a: MachineLoad, to b: MachineLoad) -> String {
        let total = (b.busy - a.busy) + (b.idle - a.idle) + (b.diskWait - a.diskWait) + (b.stolen - a.stolen)
        guard total > 0 else { return "no time passed" }
        let server = b.server - a.server, takers = b.takers - a.takers, postgres = max(0, b.postgres - a.postgres)
        let others = max(0, (b.busy - a.busy) - server - takers - postgres)
        func percent(_ seconds: Double) -> String { String(format: "%.0f%%", seconds / total * 100) }
        func each(_ count: Double, _ ms: Double, _ what: String) -> String {
            String(format: "%.0f %@ at %.2f ms", count, what, count > 0 ? ms / count : 0)
        }
        // PostgreSQL's share is left out below half a percent: its idle processes, on SQLite.
        return "server \(percent(server)), takers \(percent(takers))" + (postgres / total >= 0.005 ? ", PostgreSQL \(percent(postgres))" : "")
            + ", everything else \(percent(others)), idle \(percent(b.idle - a.idle)), waiting for the disk \(percent(b.diskWait - a.diskWait))"
            + ", stolen \(percent(b.stolen - a.stolen)); the disk: \(each(b.writes - a.writes, b.writingMs - a.writingMs, "writes"))"
            + ", \(each(b.flushes - a.flushes, b.flushingMs - a.flushingMs, "flushes"))"
    }
}

extension ExamBenchOutcome {
    /// The machine over the opening (until the last taker had their paper), when the starts'
    /// tail is decided, and over the rest of the run.
    func machineShares() -> [(label: String, shares: String)] {
        guard machine.count > 2, let first = machine.first, let last = machine.last else { return [] }
        let lastStart = startedBy.max() ?? 0
        let boundary = machine.first { $0.at >= lastStart } ?? last
        var parts = [(String(format: "over the opening (%.0f s)", boundary.at - first.at), MachineLoad.shares(from: first.load, to: boundary.load))]
        if last.at > boundary.at {
            parts.append((String(format: "after it (%.0f s)", last.at - boundary.at), MachineLoad.shares(from: boundary.load, to: last.load)))
        }
        return parts
    }
}
