import Fluent
import Vapor

/// SQLite's calls on a thread of their own rather than on the application's blocking pool.
///
/// SQLiteNIO runs each statement as a work item on the pool it is given. With Vapor's pool (a
/// thread a core) the statements of a group commit, sent all at once, land on every thread of it,
/// and all but one then sleep on the connection's mutex (it is serialised, `SQLITE_OPEN_FULLMUTEX`)
/// to be woken in turn. One thread takes them from its queue one after another, and hashing a
/// password or reading a file on the application's pool no longer waits behind them. Measured at
/// 10,000 takers in docs/exams.md ("3 December, SQLite's own thread").
enum SQLiteThread {
    /// Only where the application has one event loop, and so one SQLite connection (`cadet serve`
    /// and the other commands). With several connections on one thread, a connection waiting for
    /// another's write lock would retry (SQLiteNIO's busy handler retries at once) on the very
    /// thread that the holder of the lock needs to finish.
    /// `ahead`: the thread that writes goes first when the cores are short (`runAhead`).
    static func onItsOwn(_ factory: DatabaseConfigurationFactory, _ app: Application, ahead: Bool = true) -> any DatabaseConfiguration {
        let configuration = factory.make()
        guard oneLoop(app) else { return configuration }
        return OwnThread(wrapped: configuration, ahead: ahead)
    }

    static func oneLoop(_ app: Application) -> Bool {
        Array(app.eventLoopGroup.makeIterator()).count == 1
    }

    /// Every write of the server waits for this one thread, so when the cores are short it goes
    /// first: its nice value is lowered below the other threads'. Where the process may not
    /// (without root or `CAP_SYS_NICE`, or a `LimitNICE` in its systemd unit), it stays as it is.
    static let aheadBy: Int32 = -10

    static func runAhead() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, aheadBy)
        #endif
    }

    private struct OwnThread: DatabaseConfiguration {
        var wrapped: any DatabaseConfiguration
        let ahead: Bool

        var middleware: [any AnyModelMiddleware] {
            get { wrapped.middleware }
            set { wrapped.middleware = newValue }
        }

        func makeDriver(for databases: Databases) -> any DatabaseDriver {
            let thread = NIOThreadPool(numberOfThreads: 1)
            thread.start()
            if ahead { thread.submit { _ in SQLiteThread.runAhead() } }
            return Driver(wrapped: wrapped.makeDriver(for: Databases(threadPool: thread, on: databases.eventLoopGroup)), thread: thread)
        }
    }

    /// The thread lives as long as the driver: the connections are closed on it, then it stops.
    private struct Driver: DatabaseDriver {
        let wrapped: any DatabaseDriver
        let thread: NIOThreadPool

        func makeDatabase(with context: DatabaseContext) -> any Database {
            wrapped.makeDatabase(with: context)
        }

        func shutdown() {
            wrapped.shutdown()
            try? thread.syncShutdownGracefully()
        }

        func shutdownAsync() async {
            await wrapped.shutdownAsync()
            try? await thread.shutdownGracefully()
        }
    }
}
