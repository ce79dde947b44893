/// Resource limits for one test case. Defaults suit a beginner exercise; a question may ask for
/// other values, but only within `bounds`, so no question can make the sandbox unsafe.
public struct SandboxLimits: Codable, Equatable, Sendable {
    /// CPU seconds per test case.
    public var cpuSeconds: Double
    /// Wall-clock seconds per test case (sleeping programs use no CPU).
    public var wallSeconds: Double
    /// Address space per process, in MiB. It includes the Python interpreter itself (~20 MiB).
    public var memoryMiB: Int
    /// Standard output per test case, in KiB. Standard error may use four times this.
    public var outputKiB: Int
    /// Processes and threads the program may start, beyond itself.
    public var processes: Int
    /// Largest file the program may write, in KiB.
    public var fileKiB: Int
    /// Size of the program's private /tmp, in MiB.
    public var tmpMiB: Int
    public var openFiles: Int

    public static let `default` = SandboxLimits(
        cpuSeconds: 2, wallSeconds: 5, memoryMiB: 256, outputKiB: 64,
        processes: 8, fileKiB: 1024, tmpMiB: 16, openFiles: 64
    )

    /// The most any question may ask for.
    public static let ceiling = SandboxLimits(
        cpuSeconds: 10, wallSeconds: 30, memoryMiB: 1024, outputKiB: 1024,
        processes: 32, fileKiB: 16 * 1024, tmpMiB: 64, openFiles: 256
    )

    /// The least that still lets Python start.
    public static let floor = SandboxLimits(
        cpuSeconds: 0.1, wallSeconds: 0.2, memoryMiB: 48, outputKiB: 1,
        processes: 1, fileKiB: 1, tmpMiB: 1, openFiles: 16
    )

    public init(cpuSeconds: Double, wallSeconds: Double, memoryMiB: Int, outputKiB: Int,
                processes: Int, fileKiB: Int, tmpMiB: Int, openFiles: Int) {
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.memoryMiB = memoryMiB
        self.outputKiB = outputKiB
        self.processes = processes
        self.fileKiB = fileKiB
        self.tmpMiB = tmpMiB
        self.openFiles = openFiles
    }

    enum CodingKeys: String, CodingKey {
        case cpuSeconds = "cpu_seconds", wallSeconds = "wall_seconds", memoryMiB = "memory_mib"
        case outputKiB = "output_kib", processes, fileKiB = "file_kib", tmpMiB = "tmp_mib", openFiles = "open_files"
    }

    /// Any key a question leaves out keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SandboxLimits.default
        cpuSeconds = try c.decodeIfPresent(Double.self, forKey: .cpuSeconds) ?? d.cpuSeconds
        wallSeconds = try c.decodeIfPresent(Double.self, forKey: .wallSeconds) ?? max(d.wallSeconds, cpuSeconds * 2 + 1)
        memoryMiB = try c.decodeIfPresent(Int.self, forKey: .memoryMiB) ?? d.memoryMiB
        outputKiB = try c.decodeIfPresent(Int.self, forKey: .outputKiB) ?? d.outputKiB
        processes = try c.decodeIfPresent(Int.self, forKey: .processes) ?? d.processes
        fileKiB = try c.decodeIfPresent(Int.self, forKey: .fileKiB) ?? d.fileKiB
        tmpMiB = try c.decodeIfPresent(Int.self, forKey: .tmpMiB) ?? d.tmpMiB
        openFiles = try c.decodeIfPresent(Int.self, forKey: .openFiles) ?? d.openFiles
    }

    /// The names of the limits that lie outside `floor...ceiling`; empty when all are safe.
    public var outOfBounds: [String] {
        let f = SandboxLimits.floor, c = SandboxLimits.ceiling
        var bad: [String] = []
        if !(f.cpuSeconds...c.cpuSeconds).contains(cpuSeconds) { bad.append(CodingKeys.cpuSeconds.rawValue) }
        if !(f.wallSeconds...c.wallSeconds).contains(wallSeconds) { bad.append(CodingKeys.wallSeconds.rawValue) }
        if !(f.memoryMiB...c.memoryMiB).contains(memoryMiB) { bad.append(CodingKeys.memoryMiB.rawValue) }
        if !(f.outputKiB...c.outputKiB).contains(outputKiB) { bad.append(CodingKeys.outputKiB.rawValue) }
        if !(f.processes...c.processes).contains(processes) { bad.append(CodingKeys.processes.rawValue) }
        if !(f.fileKiB...c.fileKiB).contains(fileKiB) { bad.append(CodingKeys.fileKiB.rawValue) }
        if !(f.tmpMiB...c.tmpMiB).contains(tmpMiB) { bad.append(CodingKeys.tmpMiB.rawValue) }
        if !(f.openFiles...c.openFiles).contains(openFiles) { bad.append(CodingKeys.openFiles.rawValue) }
        return bad
    }
}
