import Fluent
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Health, metrics, headers and errors")
struct PlatformTests {
    @Test("/healthz checks the database")
    func health() async throws {
        try await TestApp.withApp { app in
            let response = try await Browser(app).get("/healthz")
            #expect(response.status == .ok)
            #expect(response.text.contains("\"database\":\"ok\""))
        }
    }

    @Test("with one event loop, SQLite's statements run on a thread of their own, not behind the application's busy pool")
    func sqliteThread() async throws {
        // What is measured is SQLite's thread, whatever the run's database.
        try await Self.withOneLoop(.sqliteMemory, threads: 1) { app in
            // The application's one thread is held (as a password's hash holds it) until the
            // query has answered, or for five seconds if the query waited for that thread.
            let holding = app.eventLoopGroup.any().makePromise(of: Void.self)
            let release = ConditionLock(value: 0)
            let held = app.threadPool.runIfActive(eventLoop: app.eventLoopGroup.any()) {
                holding.succeed()
                guard release.lock(whenValue: 1, timeoutSeconds: 5) else { return "timed out" }
                release.unlock()
                return "released"
            }
            try await holding.futureResult.get()
            let rows = try await (app.db as! any SQLDatabase).raw("SELECT 41 + 1 AS answer").all()
            release.lock()
            release.unlock(withValue: 1)
            #expect(try rows.first?.decode(column: "answer", as: Int.self) == 42)
            #expect(try await held.get() == "released")
        }
    }

    @Test("with one event loop, a taker's attempt is read beside SQLite's writer: the read answers while a batch holds the writer, and sees only what is committed")
    func sqliteReads() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cadet-reads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withOneLoop(.sqliteFile(directory.appendingPathComponent("cadet.sqlite").path)) { app in
            try await DatabaseTuning.apply(app)
            try await (app.db as! any SQLDatabase).raw("CREATE TABLE probe (n INTEGER)").run()
            let reads = Request(application: app, on: app.eventLoopGroup.any()).reads as! any SQLDatabase
            let (held, holding) = AsyncStream<Void>.makeStream()
            let released = Mutex(false)
            // The writer's one connection, held in a transaction as a group commit holds it, until
            // the read below has answered (or for five seconds, if the read waited for it).
            let writing = Task {
                try await app.db.withConnection { db in
                    let sql = db as! any SQLDatabase
                    try await sql.raw("BEGIN IMMEDIATE").run()
                    try await sql.raw("INSERT INTO probe VALUES (1)").run()
                    holding.yield()
                    var waited = 0
                    while !released.withLock({ $0 }), waited < 500 {
                        try await Task.sleep(for: .milliseconds(10))
                        waited += 1
                    }
                    try await sql.raw("COMMIT").run()
                    return waited < 500 ? "released" : "timed out"
                }
            }
            for await _ in held { break }
            let during = try await reads.raw("SELECT COUNT(*) AS n FROM probe").first()?.decode(column: "n", as: Int.self)
            released.withLock { $0 = true }
            #expect(try await writing.value == "released")
            #expect(during == 0)
            let after = try await reads.raw("SELECT COUNT(*) AS n FROM probe").first()?.decode(column: "n", as: Int.self)
            #expect(after == 1)
        }
    }

    @Test("SQLite's own thread goes ahead of the server's other threads when the process may raise it, and only that thread")
    func sqliteThreadAhead() async throws {
        try await Self.withOneLoop(.sqliteMemory) { app in
            // A function SQLite calls on the thread that runs the statement: that thread's nice value.
            let probe = SQLiteCustomFunction("cadet_thread_nice", argumentCount: 0) { _ in Int(Self.niceValue()) }
            let nice = try await (app.db as! any SQLiteDatabase).withConnection { connection in
                connection.install(customFunction: probe).flatMap {
                    connection.query("SELECT cadet_thread_nice() AS nice", []).map { $0.first?.column("nice")?.integer }
                }
            }.get()
            // Lowering a nice value needs CAP_SYS_NICE (root has it, unless a container took it
            // away) or a generous RLIMIT_NICE; without them the thread is left as it is.
            let mine = Self.niceValue()
            #expect(nice == Int(try Self.mayRaisePriority() ? SQLiteThread.aheadBy : mine))
            #expect(mine != SQLiteThread.aheadBy)
        }
    }

    /// An application with one event loop, as `cadet serve` has (and so one SQLite connection
    /// on a thread of its own), on `database`; `threads` for its blocking pool.
    private static func withOneLoop(_ database: AppConfig.DatabaseLocation, threads: Int? = nil,
                                    _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing, .shared(CommandSupport.sqliteLoop))
        if let threads { app.threadPool = NIOThreadPool(numberOfThreads: threads) }
        var config = try AppConfig.testing()
        config.database = database
        do {
            try await configure(app, config)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    private static func niceValue() -> Int32 {
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    /// Whether this process may lower a thread's nice value to `SQLiteThread.aheadBy`.
    private static func mayRaisePriority() throws -> Bool {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let effective = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }.flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        let sysNice: UInt64 = 1 << 23
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_NICE.rawValue), &limit)
        return effective & sysNice != 0 || limit.rlim_cur >= rlim_t(20 - Int(SQLiteThread.aheadBy)) // RLIMIT_NICE's ceiling is 20 - limit
    }

    @Test("/metrics reports requests, latencies, the database and the grading queue in Prometheus format, to a scraper with the token")
    func metrics() async throws {
        let token = "scrape-" + UUID().uuidString
        try await TestApp.withApp({ $0.metricsToken = token }) { app in
            _ = try await GradingQueue(database: app.db).enqueue(problem: .init(tests: [.init(stdin: "", expected: .string(""))]), source: "print()", purpose: "test")
            let browser = Browser(app)
            _ = try await browser.get("/")
            #expect(try await browser.get("/metrics").status == .forbidden)
            var wrong = HTTPHeaders()
            wrong.bearerAuthorization = BearerAuthorization(token: token + "x")
            #expect(try await browser.send(.GET, "/metrics", body: nil, extra: wrong).status == .forbidden)
            var right = HTTPHeaders()
            right.bearerAuthorization = BearerAuthorization(token: token)
            let text = try await browser.send(.GET, "/metrics", body: nil, extra: right).text
            #expect(text.contains("http_requests_total"))
            #expect(text.contains("http_request_duration_seconds_bucket"))
            #expect(text.contains("cadet_database_up 1"))
            #expect(text.contains("cadet_grading_queue_depth 1"))
            #expect(text.contains("cadet_database_pool_connections"))
            #expect(text.contains("# TYPE cadet_grading_latency_seconds gauge"))
        }
    }

    @Test("pages carry security headers and a request id reaches the logs' metadata")
    func headers() async throws {
        try await TestApp.withApp { app in
            let response = try await Browser(app).get("/signin")
            #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
        }
    }

    @Test("an unknown address is a translated page for browsers and a JSON error for programs")
    func notFound() async throws {
        try await TestApp.withApp { app in
            let browser = Browser(app)
            browser.acceptLanguage = "ko-KR,ko;q=0.9,en;q=0.5"
            let page = try await browser.get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.text.contains("이 주소에는 아무것도 없습니다."))
            browser.json = true
            let json = try await browser.get("/no/such/page")
            #expect(json.errorCode == "platform.not_found")
        }
    }

    @Test("a body that is not a flat form is a clear 400, not a crash")
    func malformedForm() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            browser.json = true
            _ = try await browser.get("/")
            let token = try await browser.csrfToken()
            let nested = try await browser.send(.POST, "/programmes", body: "_csrf=\(token)&slug[a][b]=1&name[]=2")
            #expect(nested.status == .badRequest)
            #expect(nested.errorCode == "platform.bad_request")
            let broken = try await browser.send(.POST, "/programmes", body: "_csrf=\(token)&slug=%zz&name=%E0%A4")
            #expect(broken.status == .badRequest || broken.status == .unprocessableEntity)
            #expect(try await Programme.query(on: app.db).count() == 2)
        }
    }

    @Test("Cadet's middleware and an async route run in one task, where Vapor's own chain starts a task for each")
    func oneTask() async throws {
        try await TestApp.withApp { app in
            // An async handler (a synchronous one would run inside whichever task calls it).
            app.post("probe", "task") { req async -> String in
                "\(TaskProbe.marked != nil && TaskProbe.marked == TaskProbe.current ? "the chain's task" : "another task") \(req.body.string ?? "no body")"
            }
            let browser = Browser(app)
            app.middleware = Middlewares()
            app.middleware.use(RequestChain([TaskProbe()]))
            let chained = try await browser.send(.POST, "/probe/task", body: "a=1")
            #expect(chained.text == "the chain's task a=1")
            // The difference the chain makes: Vapor runs each async middleware in a task of its own.
            app.middleware = Middlewares()
            app.middleware.use(TaskProbe())
            let vapors = try await browser.send(.POST, "/probe/task", body: "a=1")
            #expect(vapors.text.hasPrefix("another task"))
        }
    }
}

/// Marks the task it runs in, for the route that follows to compare with its own.
private struct TaskProbe: AsyncMiddleware {
    @TaskLocal static var marked: Int?
    static var current: Int? { withUnsafeCurrentTask { $0?.hashValue } }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await Self.$marked.withValue(Self.current) { try await next.respond(to: request) }
    }
}

@Suite("Every page in Korean and English")
struct LocalisationTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CadetApp")

    @Test("the Korean and English catalogues have the same keys and no empty text")
    func catalogueComplete() {
        let catalogue = Catalogue.shared
        #expect(catalogue.keys(.korean) == catalogue.keys(.english))
        for locale in AppLocale.allCases {
            for key in catalogue.keys(locale) {
                #expect(!catalogue.text(key, locale).isEmpty, "\(key) is empty in \(locale)")
            }
        }
    }

    @Test("a text's placeholders are filled in one pass: a value holding braces stays as written, a placeholder without a value stays, Korean around them is kept")
    func placeholdersFilled() {
        #expect(Catalogue.fill("{n}번 문항 ({points}점)", ["n": "3", "points": "2.5"]) == "3번 문항 (2.5점)")
        #expect(Catalogue.fill("{a} and {b}", ["a": "{b}", "b": "{a}"]) == "{b} and {a}")
        #expect(Catalogue.fill("{missing}, {a}, {", ["a": "가"]) == "{missing}, 가, {")
        #expect(Catalogue.fill("{{a}} {a", ["a": "x"]) == "{x} {a")
        #expect(Catalogue.fill("no placeholders", ["a": "x"]) == "no placeholders")
        #expect(Catalogue.fill("{a}", [:]) == "{a}")
        #expect(Catalogue.shared.text("exam.question_number", .english, ["number": "7"]) == "Question 7")
        #expect(Catalogue.shared.text("exam.points_value", .korean, ["points": "2.5"]) == "2.5점")
    }

@Test("catalogue files that define a key twice, or a key without both languages, are refused")
    func duplicatePathsRefused() throws {
        #expect(throws: Catalogue.Problem.self) {
            try Catalogue.merge([("a.json", Data(#"{"x.y": {"en": "A", "ko": "가"}}"#.utf8)), ("b.json", Data(#"{"x.y": {"en": "B", "ko": "나"}}"#.utf8))])
        }
        #expect(throws: Catalogue.Problem.self) {
            try Catalogue.merge([("a.json", Data(#"{"x.y": {"en": "A"}}"#.utf8))])
        }
    }

    @Test("the merged catalogue has every capability's file in it")
    func everyFileLoaded() throws {
        let files = try Catalogue.files().map(\.lastPathComponent)
        #expect(files.count >= 8 && files.contains("accounts.json") && files.contains("api.json"))
        for file in files {
            let data = try Data(contentsOf: try Catalogue.files().first { $0.lastPathComponent == file }!)
            let keys = try JSONDecoder().decode([String: [String: String]].self, from: data).keys
            #expect(keys.allSatisfy { Catalogue.shared.has($0) }, "\(file) is not all in the catalogue")
        }
    }

    @Test("every key the templates and the code ask for exists")
    func keysExist() throws {
        var used: Set<String> = []
        let patterns = [#"#t\("([a-z_]+\.[a-z_.]+)""#, #"(?:\bt|localizer)\("([a-z_]+\.[a-z_.]+)""#, #""((?:account|directory)\.error\.[a-z_]+)""#, #""(notice\.[a-z_]+)""#, #""(error\.[a-z_]+)""#]
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where ["leaf", "swift"].contains(url.pathExtension) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for pattern in patterns {
                let regex = try NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    used.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        // Keys built at run time from values.
        used.formUnion(CadetCore.Role.allCases.map { "role.\($0.rawValue)" })
        used.formUnion(["slug", "email", "instructor_email", "assistant_email"].map { "issue.invalid_format.\($0)" })
        used.formUnion(AppLocale.allCases.map { "language.\($0.rawValue)" })
        used.formUnion(["cohorts.balance.over", "cohorts.balance.under", "mail.reset.subject", "mail.reset.body", "mail.invitation.subject", "mail.invitation.body"])
        #expect(used.count > 150)
        let missing = used.filter { !Catalogue.shared.has($0) }.sorted()
        #expect(missing.isEmpty, "missing from the catalogue: \(missing)")
    }

    @Test("every field a form can name has a label")
    func fieldLabels() {
        for field in ["name", "email", "password", "password_confirm", "current_password", "slug", "description", "capacity",
                      "starts_on", "ends_on", "target_hours", "hours", "instructor_email", "assistant_email", "role", "scope"] {
            #expect(Catalogue.shared.has("field.\(field)"), "field.\(field)")
        }
    }

    @Test("Accept-Language picks the language; the switch overrides it and sticks")
    func languageSwitch() async throws {
        try await TestApp.withApp { app in
            let browser = Browser(app)
            browser.acceptLanguage = "en-US,en;q=0.9"
            #expect(try await browser.get("/signin").text.contains("Forgot your password?"))
            let switched = try await browser.post("/language", ["lang": "ko", "next": "/signin"])
            #expect(switched.location == "/signin")
            #expect(try await browser.get("/signin").text.contains("비밀번호를 잊으셨나요?"))
            #expect(try await browser.get("/signin").text.contains("<html lang=\"ko\">"))
        }
    }

    @Test("times are shown in Asia/Seoul")
    func seoulTime() {
        let t = Localizer(locale: .english, timeZone: TimeZone(identifier: "Asia/Seoul")!)
        #expect(t.dateTime(Date(timeIntervalSince1970: 0)) == "1970-01-01 09:00")
    }
}

import CadetCore
