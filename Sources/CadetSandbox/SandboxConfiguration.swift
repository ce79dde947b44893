#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where the sandbox's tools are and how it isolates. Read once from settings by the app.
public struct SandboxConfiguration: Sendable {
    public var bubblewrap: String
    public var python: String
    /// The first of the user ids that sandboxed runs get when the worker runs as root; each
    /// concurrent run gets its own, so process limits count only that run's processes.
    public var firstUserID: UInt32
    /// How many programs may run at once in this process.
    public var concurrency: Int

    public init(bubblewrap: String = "/usr/bin/bwrap", python: String = "/usr/bin/python3",
                firstUserID: UInt32? = nil, concurrency: Int? = nil) {
        self.bubblewrap = bubblewrap
        self.python = python
        self.firstUserID = firstUserID ?? SandboxConfiguration.defaultFirstUserID(forProcess: getpid())
        self.concurrency = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Workers on one machine get different ranges of 64 user ids, derived from their pid, so
    /// they rarely share one.
    public static func defaultFirstUserID(forProcess pid: Int32) -> UInt32 {
        UInt32(200_000 + (Int(pid) % 1000) * 64)
    }

    /// Sizes of what a submission may be.
    public static let maximumSourceBytes = 256 << 10
}
