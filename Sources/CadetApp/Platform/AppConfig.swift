import Foundation
import Logging

/// Every setting Cadet reads, read once at start-up. A bad value stops start-up with a message
/// that names the setting; nothing else in the code reads the environment.
public struct AppConfig: Sendable {
    public enum DatabaseLocation: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(String)

        public var isPostgres: Bool {
            if case .postgres = self { true } else { false }
        }
    }

    public enum LogFormat: String, Sendable, CaseIterable { case text, json }

    public var dataDirectory: String
    public var database: DatabaseLocation
    /// A PostgreSQL schema to work in (tests give each run its own).
    public var databaseSchema: String?
    /// PostgreSQL connections per event loop (one loop a core) for the test morning's hot
    /// statements, and half as many for everything else (PostgresHotPath). Eight, not
    /// four: at a test's opening the exam gate's starts and everyone's saves share them, each
    /// holding one for a round trip, and with four a loop the starts queued for connections
    /// while the cores idled (docs/exams.md).
    public var databasePoolSize: Int
    public var publicURL: URL
    public var secret: String?
    public var timeZone: TimeZone
    public var defaultLocale: AppLocale
    public var bcryptCost: Int
    public var sessionHours: Int
    public var smtpURL: URL?
    public var mailFrom: String
    /// Reverse proxies in front of Cadet whose X-Forwarded-For entries are believed (0: none).
    public var trustedProxies: Int
    /// Who may read /metrics: a bearer token when set, otherwise only the machine itself.
    public var metricsToken: String?
    /// API requests per token per minute.
    public var apiRateLimit: Int
    public var logFormat: LogFormat
    public var logLevel: Logger.Level
    public var sandboxBubblewrap: String
    public var sandboxPython: String
    public var graderConcurrency: Int
    /// On SQLite, the test morning's writes share transactions (GroupCommit); off only to measure it.
    public var groupCommit: Bool
    /// Test-paper requests (start, open, submit) served at once; the rest queue, so saves come first.
    public var examGate: Int

    /// Cookies get the Secure flag when Cadet is served over HTTPS.
    public var secureCookies: Bool { publicURL.scheme == "https" }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let setting: String
        public let reason: String
        public var description: String { "\(setting): \(reason)" }
    }

    /// Settings that replace the process environment for the current task: how tests run
    /// commands against a database of their own without touching global state.
    @TaskLocal public static var environmentOverride: [String: String]?

    public static func load(_ env: [String: String]? = nil) throws(Problem) -> AppConfig {
        let reader = SettingsReader(env ?? environmentOverride ?? ProcessInfo.processInfo.environment)
        let dataDirectory = reader.string("CADET_DATA_DIR") ?? "./cadet-data"
        let config = AppConfig(
            dataDirectory: dataDirectory,
            database: try reader.database("DATABASE_URL", dataDirectory: dataDirectory),
            databaseSchema: try reader.identifier("CADET_DATABASE_SCHEMA"),
            databasePoolSize: try reader.integer("CADET_DB_POOL_SIZE", default: 8, in: 1...64),
            publicURL: try reader.url("CADET_PUBLIC_URL", default: "http://127.0.0.1:8080", schemes: ["http", "https"])!,
            secret: try reader.secret("CADET_SECRET"),
            timeZone: try reader.timeZone("CADET_TIMEZONE", default: "Asia/Seoul"),
            defaultLocale: try reader.choice("CADET_DEFAULT_LOCALE", default: AppLocale.korean),
            bcryptCost: try reader.integer("CADET_BCRYPT_COST", default: 12, in: 4...15),
            sessionHours: try reader.integer("CADET_SESSION_HOURS", default: 12, in: 1...720),
            smtpURL: try reader.url("CADET_SMTP_URL", default: nil, schemes: ["smtp", "smtps"]),
            mailFrom: reader.string("CADET_MAIL_FROM") ?? "Cadet <no-reply@cadet.local>",
            trustedProxies: try reader.proxyCount("CADET_TRUST_PROXY"),
            metricsToken: try reader.token("CADET_METRICS_TOKEN"),
            apiRateLimit: try reader.integer("CADET_API_RATE_LIMIT", default: 600, in: 1...100_000),
            logFormat: try reader.choice("CADET_LOG_FORMAT", default: LogFormat.text),
            logLevel: try reader.choice("LOG_LEVEL", default: Logger.Level.info),
            sandboxBubblewrap: reader.string("CADET_SANDBOX_BWRAP") ?? "/usr/bin/bwrap",
            sandboxPython: reader.string("CADET_SANDBOX_PYTHON") ?? "/usr/bin/python3",
            graderConcurrency: try reader.integer("CADET_GRADER_CONCURRENCY", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...64),
            groupCommit: try reader.bool("CADET_GROUP_COMMIT", default: true),
            examGate: try reader.integer("CADET_EXAM_GATE", default: ProcessInfo.processInfo.activeProcessorCount * 4, in: 1...256)
        )
        return config
    }

    /// A configuration for tests: in-memory SQLite unless CADET_TEST_DATABASE_URL names a server.
    public static func testing(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        // One connection per event loop: the suites run many apps at once against one server.
        var settings = ["CADET_BCRYPT_COST": "4", "CADET_DATA_DIR": NSTemporaryDirectory() + "cadet-test", "CADET_SECRET": String(repeating: "t", count: 32),
                        "CADET_DB_POOL_SIZE": "1"]
        settings["DATABASE_URL"] = env["CADET_TEST_DATABASE_URL"] ?? "sqlite::memory:"
        return try load(settings)
    }
}

/// Reads settings and names the one that is wrong.
struct SettingsReader {
    let env: [String: String]

    init(_ env: [String: String]) {
        self.env = env
    }

    func string(_ key: String) -> String? {
        guard let value = env[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ key: String, default value: Int, in range: ClosedRange<Int>) throws(AppConfig.Problem) -> Int {
        guard let text = string(key) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .init(setting: key, reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return number
    }

    func bool(_ key: String, default value: Bool) throws(AppConfig.Problem) -> Bool {
        guard let text = string(key)?.lowercased() else { return value }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw .init(setting: key, reason: "expected true or false, got \"\(text)\"")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default value: T) throws(AppConfig.Problem) -> T where T.RawValue == String {
        guard let text = string(key) else { return value }
        guard let choice = T(rawValue: text.lowercased()) else {
            throw .init(setting: key, reason: "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return choice
    }

    func url(_ key: String, default value: String?, schemes: Set<String>) throws(AppConfig.Problem) -> URL? {
        guard let text = string(key) ?? value else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme, schemes.contains(scheme), url.host != nil else {
            throw .init(setting: key, reason: "expected a URL starting with \(schemes.sorted().map { "\($0)://" }.joined(separator: " or ")), got \"\(text)\"")
        }
        return url
    }

    func timeZone(_ key: String, default value: String) throws(AppConfig.Problem) -> TimeZone {
        let text = string(key) ?? value
        guard let zone = TimeZone(identifier: text) else {
            throw .init(setting: key, reason: "unknown time zone \"\(text)\" (use an IANA name such as Asia/Seoul)")
        }
        return zone
    }

    func secret(_ key: String) throws(AppConfig.Problem) -> String? {
        guard let text = string(key) else { return nil }
        guard text.utf8.count >= 32 else {
            throw .init(setting: key, reason: "must be at least 32 characters (it signs form tokens)")
        }
        return text
    }

    /// `false` (none), `true` (one proxy) or the number of proxies in front, up to 5.
    func proxyCount(_ key: String) throws(AppConfig.Problem) -> Int {
        guard let text = string(key)?.lowercased() else { return 0 }
        if let count = Int(text), (0...5).contains(count) { return count }
        do {
            return try bool(key, default: false) ? 1 : 0
        } catch {
            throw .init(setting: key, reason: "expected false, true or the number of proxies in front of Cadet (0 to 5), got \"\(text)\"")
        }
    }

    func token(_ key: String) throws(AppConfig.Problem) -> String? {
        guard let text = string(key) else { return nil }
        guard text.utf8.count >= 16, text.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw .init(setting: key, reason: "must be at least 16 characters with no spaces")
        }
        return text
    }

    func identifier(_ key: String) throws(AppConfig.Problem) -> String? {
        guard let text = string(key) else { return nil }
        guard text.count <= 63, text.first?.isLetter == true, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .init(setting: key, reason: "expected a schema name of letters, digits and underscores")
        }
        return text.lowercased()
    }

    func database(_ key: String, dataDirectory: String) throws(AppConfig.Problem) -> AppConfig.DatabaseLocation {
        guard let text = string(key) else {
            return .sqliteFile(dataDirectory + "/cadet.sqlite")
        }
        if text == "sqlite::memory:" { return .sqliteMemory }
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .init(setting: key, reason: "sqlite:// needs a file path, e.g. sqlite:///var/lib/cadet/cadet.sqlite") }
            return .sqliteFile(path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard URL(string: text)?.host != nil else { throw .init(setting: key, reason: "not a valid postgres:// URL") }
            return .postgres(text)
        }
        // PostgreSQL on the same machine through its Unix socket (PostgresKit's form). The URL
        // is not repeated in the message: it may hold a password.
        if text.hasPrefix("postgres+uds://") || text.hasPrefix("postgresql+uds://") {
            guard let url = URLComponents(string: text), (url.host ?? "").isEmpty || url.host == "localhost", url.port == nil,
                  url.path.count > 1, url.user != nil, !(url.fragment ?? "").isEmpty else {
                throw .init(setting: key, reason: "expected postgres+uds://user@localhost/path/to/.s.PGSQL.5432#database: the socket's path, a user and the database after #")
            }
            return .postgres(text)
        }
        throw .init(setting: key, reason: "expected postgres://…, postgres+uds://…, sqlite:///path or sqlite::memory:")
    }
}
