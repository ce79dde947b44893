import FluentKit
import FluentPostgresDriver
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// The test morning's prepared statements (the session's read, the attempt's read, a start, a
/// save, a submission) on PostgresNIO's own connection pool, `PostgresClient`, beside Fluent's.
///
/// Through Fluent's pool a statement is leased on an event loop, handed to a task of its own
/// to run, and its rows handed back through the event loop to the request's task: six crossings
/// between threads a statement, and waking a thread is what these cores pay most for
/// (docs/exams.md). `PostgresClient` leases under a lock and answers the request's task
/// directly: two. Everything else, and any statement inside a transaction, goes through Fluent.
enum PostgresHotPath {
    /// Fluent's PostgreSQL configuration, carrying the client its databases' hot statements use.
    struct Configuration: DatabaseConfiguration {
        var wrapped: any DatabaseConfiguration
        let client: Client

        var middleware: [any AnyModelMiddleware] {
            get { wrapped.middleware }
            set { wrapped.middleware = newValue }
        }

        func makeDriver(for databases: Databases) -> any DatabaseDriver {
            client.start()
            return Driver(wrapped: wrapped.makeDriver(for: databases), client: client)
        }
    }

    /// The client runs from the moment Fluent makes the driver (before the first migration or
    /// request) until the driver shuts down; before and after, the statements go through Fluent.
    final class Client: Sendable {
        private enum State {
            case idle, running(Task<Void, Never>), stopped
        }

        private let client: PostgresClient
        private let state = Mutex(State.idle)

        init(_ client: PostgresClient) {
            self.client = client
        }

        /// The client, while it runs.
        var running: PostgresClient? {
            state.withLock { state in
                guard case .running = state else { return nil }
                return client
            }
        }

        func start() {
            state.withLock { state in
                guard case .idle = state else { return }
                let client = client
                state = .running(Task.detached { await client.run() })
            }
        }

        func stop() async {
            let previous = state.withLock { state in
                defer { state = .stopped }
                return state
            }
            guard case .running(let task) = previous else { return }
            task.cancel()
            await task.value
        }
    }

    private struct Driver: DatabaseDriver {
        let wrapped: any DatabaseDriver
        let client: Client

        func makeDatabase(with context: DatabaseContext) -> any Database {
            wrapped.makeDatabase(with: context)
        }

        func shutdown() {
            let client = client
            Task { await client.stop() }
            wrapped.shutdown()
        }

        func shutdownAsync() async {
            await client.stop()
            await wrapped.shutdownAsync()
        }
    }

    static let applicationName = "cadet hot path"

    /// Fluent's PostgreSQL with a client of the same server, user, database, TLS and schema:
    /// `poolSize` connections an event loop for the hot statements, half as many (one at least)
    /// for everything else: four a loop by default, what all of Cadet had before 4 December.
    static func configuration(_ postgres: SQLPostgresConfiguration, poolSize: Int, on group: any EventLoopGroup, logger: Logger)
        -> any DatabaseConfiguration {
        let core = postgres.coreConfiguration
        var options: PostgresClient.Configuration
        if let socket = core.unixSocketPath {
            options = .init(unixSocketPath: socket, username: core.username, password: core.password, database: core.database)
        } else {
            let tls: PostgresClient.Configuration.TLS = core.tls.isEnforced ? .require(.makeClientConfiguration())
                : core.tls.isAllowed ? .prefer(.makeClientConfiguration()) : .disable
            options = .init(host: core.host ?? "localhost", port: core.port ?? 5432, username: core.username, password: core.password,
                            database: core.database, tls: tls)
        }
        // Named, so that `pg_stat_activity` tells its connections from Fluent's.
        options.options.additionalStartupParameters = [("application_name", applicationName)]
        if let schemas = postgres.searchPath, !schemas.isEmpty {
            // Each name quoted as an identifier, as Fluent's own `SET search_path` does.
            let quoted = schemas.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            options.options.additionalStartupParameters.append(("search_path", quoted.joined(separator: ",")))
        }
        // Every connection is kept open and none is pinged: otherwise the pool would start and
        // cancel an idle timer and a keep-alive timer, each a task of its own, around every statement.
        options.options.maximumConnections = poolSize * Array(group.makeIterator()).count
        options.options.minimumConnections = options.options.maximumConnections
        options.options.keepAliveBehavior = nil
        let client = PostgresClient(configuration: options, eventLoopGroup: group, backgroundLogger: logger)
        let everythingElse = max(1, poolSize / 2)
        return Configuration(wrapped: DatabaseConfigurationFactory.postgres(configuration: postgres, maxConnectionsPerEventLoop: everythingElse).make(),
                             client: Client(client))
    }

    /// The client for a database outside any transaction; nil inside one, or on another driver.
    static func client(of database: Any) -> PostgresClient? {
        guard let database = database as? any Database, !database.inTransaction else { return nil }
        return (database.context.configuration as? Configuration)?.client.running
    }
}
