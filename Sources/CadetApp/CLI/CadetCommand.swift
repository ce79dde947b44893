import ArgumentParser
import Foundation
import Logging
import Synchronization
import Vapor

/// `cadet`: the one executable. Every subcommand reads the same configuration (environment
/// variables, see docs/configuration.md) and builds the same application.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct CadetCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cadet",
        abstract: "Run a cohort-based AI academy: selection, training, completion, outcomes.",
        subcommands: [ServeCommand.self, MigrateCommand.self, DemoCommand.self, DoctorCommand.self,
                      ImportCommand.self, ReportCommand.self, BenchCommand.self]
            + Capabilities.all.flatMap(\.commands)
    )

    public init() {}
}

/// Boots the application for a command and shuts it down afterwards, whatever happens.
enum CommandSupport {
    /// On SQLite, one event loop, and so one database connection: SQLite takes one writer at a
    /// time, and a second connection would spin on its lock (its busy handler retries at once)
    /// while the first commits. Measured with `cadet bench exam`: see docs/exams.md.
    static let sqliteLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func eventLoops(for config: AppConfig) -> Application.EventLoopGroupProvider {
        config.database.isPostgres ? .singleton : .shared(sqliteLoop)
    }

    static func loadConfig() throws -> AppConfig {
        do {
            return try AppConfig.load()
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }

    static func withApp<T>(_ config: AppConfig, arguments: [String] = ["cadet"], _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(Environment(name: "production", arguments: arguments), eventLoops(for: config))
        do {
            try await configure(app, config)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// swift-log may be bootstrapped once per process; later calls (tests run many commands) keep the first.
    static func bootstrapLogging(_ config: AppConfig) {
        loggingBootstrapped.withLock { done in
            guard !done else { return }
            done = true
            bootstrap(config)
        }
    }

    private static let loggingBootstrapped = Mutex(false)

    private static func bootstrap(_ config: AppConfig) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = config.logFormat == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = config.logLevel
            return handler
        }
    }
}

/// A failure a command reports in one line and a non-zero exit, without a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `cadet report …`: each capability adds its reports.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print reports.", subcommands: Capabilities.subcommands(of: .report))
}

/// `cadet import …`: each capability adds what it can import.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import data from files.", subcommands: Capabilities.subcommands(of: .import))
}
