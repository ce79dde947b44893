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
        // Spread processes on one machine over different id ranges so they rarely share one.
        self.firstUserID = firstUserID ?? UInt32(200_000 + (Int(getpid()) % 1000) * 64)
        self.concurrency = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Sizes of what a submission may be.
    public static let maximumSourceBytes = 256 << 10
}
