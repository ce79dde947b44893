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
    app.examGate = ConcurrencyGate(limit: System.coreCount * 4)
    app.logger.logLevel = config.logLevel
    CadetMetrics.bootstrap()

    try configureDatabase(app, config)
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
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware(secure: config.secureCookies))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(SessionMiddleware())
    app.middleware.use(LocaleMiddleware())
    app.middleware.use(CSRFMiddleware())

    routes(app)
}

func configureDatabase(_ app: Application, _ config: AppConfig) throws {
    switch config.database {
    case .sqliteMemory:
        // SQLiteKit fakes an in-memory database with a temporary file it never removes; a file
        // of our own is removed when the application shuts down, so test runs leave nothing behind.
        let path = NSTemporaryDirectory() + "cadet-memory-\(UUID().uuidString).sqlite"
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        app.lifecycle.use(RemoveOnShutdown(paths: [path, path + "-wal", path + "-shm", path + "-journal"]))
    case .sqliteFile(let path):
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        if let schema = config.databaseSchema { postgres.searchPath = [schema] }
        app.databases.use(.postgres(configuration: postgres, maxConnectionsPerEventLoop: config.databasePoolSize), as: .psql)
    }
}

func routes(_ app: Application) {
    HomeController.register(app)
    PlatformController.register(app)
    AccountsController.register(app)
    PasswordController.register(app)
    AccountController.register(app)
    OutboxController.register(app)
    ProgrammesController.register(app)
    CohortsController.register(app)
    ClassesController.register(app)
    PeopleController.register(app)
    AuditController.register(app)
    RecruitmentSetupController.register(app)
    PipelineController.register(app)
    SelectionController.register(app)
    DashboardController.register(app)
    ApplyController.register(app)
    NominationsController.register(app)
    ReviewsController.register(app)
    SponsorshipsController.register(app)
    ExamSetupController.register(app)
    ExamTakerController.register(app)
}

/// Migrations in the order they were written; append only.
public enum Migrations {
    static let all: [any Migration] = [
        CreateUser(),
        CreateUserSession(),
        CreateLoginThrottle(),
        CreatePasswordReset(),
        CreateOutboxMessage(),
        CreateAppSetting(),
        CreateProgramme(),
        CreateCohort(),
        CreateCohortPhase(),
        CreateTrainingClass(),
        CreateClassMember(),
        CreateRoleGrant(),
        CreateAuditEvent(),
        CreateGradingJob(),
        CreateRecruitmentRound(),
        CreateRoundQuestion(),
        CreateConsentVersion(),
        CreateRubricCriterion(),
        CreateApplicant(),
        CreateApplicantFile(),
        CreateSponsorship(),
        CreateNomination(),
        CreateReviewAssignment(),
        CreateReviewScore(),
        CreateExam(),
        CreateExamAttempt(),
        CreateExamAnswer(),
        CreateExamEvent(),
        AddGradingJobReference(),
        AddUserEmailVerified(),
        AddNominationStatus(),
    ]

    static func register(on app: Application) {
        app.migrations.add(all)
    }

    /// The names Fluent records for applied migrations, to tell whether a database is current.
    public static var names: [String] { all.map(\.name) }
}

/// Removes scratch files when the application shuts down.
struct RemoveOnShutdown: LifecycleHandler {
    let paths: [String]

    func shutdown(_ application: Application) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}
