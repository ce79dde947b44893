import CadetSandbox
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import Vapor

/// Builds the application from its configuration: database, migrations, views, middleware and
/// routes. Commands and tests all start here.
public func configure(_ app: Application, _ config: AppConfig) async throws {
    app.config = config
    app.secrets = SecretStore(configured: config.secret)
    app.examGate = ConcurrencyGate(limit: config.examGate)
    app.groupCommit = GroupCommit(batching: config.groupCommit && !config.database.isPostgres)
    app.examMarking = ExamMarking.lane(for: app)
    if let url = config.smtpURL { app.mailer = SMTPMailer(url: url, from: config.mailFrom, logger: app.logger) }
    app.logger.logLevel = config.logLevel
    CadetMetrics.bootstrap()

    try configureDatabase(app, config)
    // After the database's handlers: shutting down runs them in reverse, so the markings under
    // way finish before a test's database file is removed.
    app.lifecycle.use(ExamMarking.Shutdown())
    Migrations.register(on: app)

    guard let layout = Bundle.module.url(forResource: "layout", withExtension: "leaf", subdirectory: "Resources/Views") else {
        throw PlatformError.unavailable
    }
    let views = layout.deletingLastPathComponent().path + "/"
    app.views.use(.leaf)
    app.leaf.configuration = LeafConfiguration(rootDirectory: views)
    // The bundle lives under .build during development; Leaf's default limits refuse hidden directories.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views))
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["csrf"] = CSRFFieldTag()

    // Application forms carry long answers; uploads have their own, larger limits.
    app.routes.defaultMaxBodySize = "1mb"
    routes(app)
    app.middleware = Middlewares()
    app.middleware.use(RequestChain([
        SecurityHeadersMiddleware(secure: config.secureCookies),
        AppErrorMiddleware(),
        SessionMiddleware(),
        LocaleMiddleware(),
        CSRFMiddleware(),
        APIMethods(app), // after the routes exist: it reads them
    ]))
}

func configureDatabase(_ app: Application, _ config: AppConfig) throws {
    switch config.database {
    case .sqliteMemory:
        // SQLiteKit fakes an in-memory database with a temporary file it never removes; a file
        // of our own is removed when the application shuts down, so test runs leave nothing behind.
        let path = NSTemporaryDirectory() + "cadet-memory-\(UUID().uuidString).sqlite"
        app.databases.use(SQLiteThread.onItsOwn(.sqlite(.file(path)), app), as: .sqlite)
        app.lifecycle.use(RemoveOnShutdown(paths: [path, path + "-wal", path + "-shm", path + "-journal"]))
    case .sqliteFile(let path):
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        app.databases.use(SQLiteThread.onItsOwn(.sqlite(.file(path)), app), as: .sqlite)
        SQLiteReads.use(path, app)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        if let schema = config.databaseSchema { postgres.searchPath = [schema] }
        app.databases.use(PostgresHotPath.configuration(postgres, poolSize: config.databasePoolSize, on: app.eventLoopGroup, logger: app.logger),
                          as: .psql)
    }
}

/// Every capability's pages and API operations.
func routes(_ app: Application) {
    let api = APIAccess.routes(app)
    for capability in Capabilities.all {
        capability.routes(app)
        capability.api(api)
    }
}

/// Migrations in the order they were written, capability by capability; append only.
public enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(Capabilities.migrations)
    }

    /// The names Fluent records for applied migrations, to tell whether a database is current.
    public static var names: [String] { Capabilities.migrations.map(\.name) }
}

/// Removes scratch files when the application shuts down.
struct RemoveOnShutdown: LifecycleHandler {
    let paths: [String]

    func shutdown(_ application: Application) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}
