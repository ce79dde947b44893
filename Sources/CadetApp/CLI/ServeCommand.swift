import ArgumentParser
import Vapor

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve Cadet over HTTP.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(name: .customLong("no-migrate"), help: "Do not apply pending migrations first.") var noMigrate = false
    @Option(help: "Grading lanes in this process (0: leave grading to `cadet grade-worker`; default: CADET_GRADER_CONCURRENCY).") var graders: Int?
    @Flag(help: .hidden) var exitWithParent = false

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        CommandSupport.bootstrapLogging(config)
        try await CommandSupport.withApp(config, arguments: ["cadet", "serve", "--hostname", host, "--port", String(port)]) { app in
            if noMigrate {
                try await MigrationStatus.requireCurrent(app)
            } else {
                try await app.autoMigrate()
            }
            try await DatabaseTuning.apply(app)
            BackgroundWork.use(on: app, graders: graders ?? config.graderConcurrency)
            if exitWithParent { ParentWatch.start() }
            try await app.execute()
        }
    }
}

/// A server started by `cadet bench exam` ends when the bench does, even if the bench is killed
/// and cannot stop it: once its parent is gone it is re-parented, and it exits.
enum ParentWatch {
    static func start() {
        let parent = getppid()
        Task.detached {
            while getppid() == parent { try? await Task.sleep(for: .seconds(1)) }
            exit(0)
        }
    }
}

/// What a serving process does besides answering requests: every capability's jobs.
enum BackgroundWork {
    static func use(on app: Application, graders: Int) {
        app.lifecycle.use(BackgroundJobs(settings: BackgroundSettings(graders: graders)))
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @Flag(help: "Revert the last batch instead.") var revert = false

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        try await CommandSupport.withApp(config) { app in
            if revert {
                try await app.autoRevert()
                print("Reverted the last batch of migrations.")
            } else {
                try await app.autoMigrate()
                try await DatabaseTuning.apply(app)
                print("Migrations are current (\(Migrations.names.count) in all).")
            }
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Load the demo academy (idempotent) and print its logins.")

    @Flag(help: "Serve Cadet afterwards.") var serve = false
    @Option(help: "Address to listen on with --serve.") var host = "127.0.0.1"
    @Option(help: "Port to listen on with --serve.") var port = 8080

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        CommandSupport.bootstrapLogging(config)
        let arguments = serve ? ["cadet", "serve", "--hostname", host, "--port", String(port)] : ["cadet"]
        try await CommandSupport.withApp(config, arguments: arguments) { app in
            try await app.autoMigrate()
            try await DatabaseTuning.apply(app)
            let summary = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            print(summary.created == 0 ? "The demo academy is already loaded; nothing changed." : "Loaded the demo academy (\(summary.created) records).")
            print(DemoLogins.text(publicURL: config.publicURL))
            if serve {
                BackgroundWork.use(on: app, graders: config.graderConcurrency)
                try await app.execute()
            }
        }
    }
}
