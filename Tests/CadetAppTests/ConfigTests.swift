import Foundation
import Testing
@testable import CadetApp

@Suite("Configuration")
struct ConfigTests {
    @Test("defaults: SQLite in ./cadet-data, Asia/Seoul, Korean, bcrypt cost 12")
    func defaults() throws {
        let config = try AppConfig.load([:])
        #expect(config.database == .sqliteFile("./cadet-data/cadet.sqlite"))
        #expect(config.timeZone.identifier == "Asia/Seoul")
        #expect(config.defaultLocale == .korean)
        #expect(config.bcryptCost == 12)
        #expect(!config.secureCookies)
        #expect(config.examGate == ProcessInfo.processInfo.activeProcessorCount * 4)
        #expect(config.databasePoolSize == 8)
        #expect(try AppConfig.load(["CADET_EXAM_GATE": "24"]).examGate == 24)
    }

    @Test("CADET_DATA_DIR moves the SQLite file; DATABASE_URL chooses PostgreSQL")
    func database() throws {
        #expect(try AppConfig.load(["CADET_DATA_DIR": "/var/lib/cadet"]).database == .sqliteFile("/var/lib/cadet/cadet.sqlite"))
        #expect(try AppConfig.load(["DATABASE_URL": "postgres://cadet@db/cadet"]).database == .postgres("postgres://cadet@db/cadet"))
        let socket = "postgres+uds://cadet@localhost/var/run/postgresql/.s.PGSQL.5432#cadet"
        #expect(try AppConfig.load(["DATABASE_URL": socket]).database == .postgres(socket))
    }

    @Test("a PostgreSQL socket's URL names its path, user and database", arguments: [
        "postgres+uds://cadet@localhost/var/run/postgresql/.s.PGSQL.5432",  // no database
        "postgres+uds://cadet@db.example/var/run/postgresql/.s.PGSQL.5432#cadet",  // another host
        "postgres+uds://cadet@localhost:5432/var/run/postgresql/.s.PGSQL.5432#cadet",  // a port
        "postgres+uds://localhost/var/run/postgresql/.s.PGSQL.5432#cadet",  // no user
        "postgres+uds://cadet@localhost#cadet",  // no path
        "postgres+uds://cadet:hunter2@db.example/var/run/postgresql/.s.PGSQL.5432#cadet",  // its password not repeated
    ])
    func badSocket(url: String) {
        #expect {
            try AppConfig.load(["DATABASE_URL": url])
        } throws: { error in
            guard let reason = (error as? AppConfig.Problem)?.reason else { return false }
            return reason.contains("postgres+uds://user@localhost/path/to/.s.PGSQL.5432#database") && !reason.contains("hunter2")
        }
    }

    @Test("a bad setting stops start-up with its name", arguments: [
        ("CADET_BCRYPT_COST", "3"), ("CADET_TIMEZONE", "Mars/Olympus"), ("DATABASE_URL", "mysql://x"),
        ("CADET_PUBLIC_URL", "ftp://x"), ("CADET_SECRET", "short"), ("CADET_DEFAULT_LOCALE", "fr"), ("CADET_TRUST_PROXY", "maybe"),
        ("CADET_EXAM_GATE", "0"), ("CADET_EXAM_GATE", "many"),
    ])
    func badSetting(key: String, value: String) {
        #expect(throws: AppConfig.Problem.self) { try AppConfig.load([key: value]) }
        do {
            _ = try AppConfig.load([key: value])
        } catch {
            #expect(error.setting == key)
            #expect(!error.reason.isEmpty)
        }
    }
}
