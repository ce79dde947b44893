import ArgumentParser
import CadetCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `cadet bench exam`: N simulated takers sit the admission test against a real `cadet serve`
/// process over loopback. All start within the first seconds of the window, save every 15 s,
/// run the samples now and then, and submit; then the database is checked for every save the
/// server confirmed. `--crash` kills the server with SIGKILL mid-test and restarts it.
struct ExamBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exam", abstract: "N simulated takers through the real HTTP endpoints; latencies, errors and lost answers.")

    @Option(help: "Simulated takers.") var takers = 5000
    @Option(help: "Minutes each taker has; they submit shortly before.") var minutes = 2
    @Option(help: "Seconds over which the takers start, from the window's opening.") var startSpread = 10.0
    @Option(help: "Seconds between a taker's saves.") var saveEvery = 15.0
    @Option(help: "Share of takers who run the sample tests once.") var sampleShare = 0.1
    @Option(help: "Grading lanes in the server.") var graders = 1
    @Flag(help: "Kill the server with SIGKILL mid-test, restart it, and check that nothing confirmed is lost.") var crash = false
    @Option(help: "With --crash: seconds after the opening to kill the server (default: halfway through the starts, when most requests are in flight).") var crashAt: Double?
    @Flag(help: "Wait for every code answer to be graded, and time it.") var waitGrading = false
    @Option(help: "Serving processes sharing the database (PostgreSQL only); the takers are spread over them, as behind a reverse proxy.")
    var servers = 1
    @Flag(inversion: .prefixedNo, help: "On SQLite, let the server commit concurrent writes together (CADET_GROUP_COMMIT); --no-group-commit measures one commit a write.")
    var groupCommit = true

    func validate() throws {
        guard (1...50_000).contains(takers) else { throw ValidationError("--takers must be from 1 to 50000") }
        guard (1...60).contains(minutes) else { throw ValidationError("--minutes must be from 1 to 60") }
        guard (1...8).contains(servers) else { throw ValidationError("--servers must be from 1 to 8") }
        guard startSpread >= 0, saveEvery >= 1, (0...1).contains(sampleShare), graders >= 0 else { throw ValidationError("--start-spread, --save-every, --sample-share and --graders must be sensible") }
    }

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        guard servers == 1 || config.database.isPostgres else {
            throw ValidationError("--servers \(servers) needs PostgreSQL (DATABASE_URL=postgres://…): an SQLite file belongs to one serving process")
        }
        let bench = try BenchDatabase(config, prefix: "exam")
        print("Admission test: \(takers) takers, \(minutes) min each, starting over \(Int(startSpread)) s, saving every \(Int(saveEvery)) s, "
              + "on \(bench.name)\(servers > 1 ? " behind \(servers) serving processes" : ""), \(ProcessInfo.processInfo.activeProcessorCount) cores\(crash ? ", with a crash" : "")")
        let failed = try await bench.run { app in try await morning(app, environment: bench.environment, scratch: bench.scratch) }
        if failed { throw ExitCode(1) }
    }

    /// Each serving process's connections an event loop: processes on one machine share its
    /// cores, so they share the pool too (eight processes at the default eight would open 128
    /// connections on two cores, past PostgreSQL's default `max_connections`); at least two,
    /// or the one a loop it was given.
    static func poolSize(_ pool: Int, sharedBy servers: Int) -> Int {
        max(min(2, pool), pool / servers)
    }

    /// Sets the test morning up, runs it against a server of its own, checks and reports it;
    /// returns whether it failed.
    private func morning(_ app: Application, environment: [String: String], scratch: URL) async throws -> Bool {
        let setupStarted = ContinuousClock.now
        let plan = try await ExamBenchSetup(database: app.db, takers: takers, minutes: minutes).make()
        print(String(format: "  setup: %d applicants with sessions, attempts prepared in %.1f s", takers, BenchClock.seconds(since: setupStarted)))

        let count = servers
        let settings = ["CADET_GROUP_COMMIT": String(groupCommit),
                        "CADET_DB_POOL_SIZE": String(Self.poolSize(app.config.databasePoolSize, sharedBy: count))]
        let processes = try (0..<count).map { n in
            try BenchServer(environment: environment.merging(settings) { $1 }, graders: graders,
                            logDirectory: scratch, name: count == 1 ? "serve" : "serve-\(n + 1)")
        }
        defer { for server in processes { server.stop() } }
        for server in processes { try await server.start() }
        // Memory is per process: the targets are for each server.
        let idle = processes.compactMap { $0.currentMemoryKiB() }.max()
        let run = ExamBenchRun(plan: plan, startSpread: startSpread, saveEvery: saveEvery, sampleShare: sampleShare,
                               servers: processes, crash: crash, crashAt: crashAt ?? max(1, startSpread / 2))
        var outcome = try await run.go(openWindow: { try await plan.open(on: app.db) })
        let cpuAtEnd = processes.reduce(0) { $0 + $1.cpuSeconds() }
        let check = try await ExamBenchCheck(database: app.db, plan: plan).run(outcome)
        let marked = try await ExamBenchCheck.waitForMarking(app.db, plan: plan)
        // The marking that follows the last submissions is the morning's work too.
        outcome.serverCPU += processes.reduce(0) { $0 + $1.cpuSeconds() } - cpuAtEnd
        var graded: Double?
        if waitGrading { graded = try await ExamBenchCheck.waitForGrading(app.db, plan: plan) }
        let report = ExamBenchReport(takers: takers, outcome: outcome, check: check, gradingSeconds: graded, markingSeconds: marked,
                                     serverMemoryKiB: processes.compactMap { $0.peakMemoryKiB() }.max(),
                                     idleMemoryKiB: idle, targetScale: environment["CADET_DATABASE_SCHEMA"] == nil ? 1 : 2)
        report.print()
        return !report.passed
    }
}

enum BenchClock {
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// The applicants, their sessions and prepared attempts, made straight in the database: people
/// sign in before the window opens, and sign-in (bcrypt) is not what this measures.
struct ExamBenchSetup {
    let database: any Database
    let takers: Int
    let minutes: Int

    struct Taker: Sendable {
        let attemptID: UUID
        let sessionToken: String
    }

    struct Plan: Sendable {
        let examID: UUID
        let takers: [Taker]
        let minutes: Int

        /// Opens the window now: takers have been waiting on the landing page.
        func open(on db: any Database) async throws -> Date {
            let now = Date()
            try await (db as! any SQLDatabase).update(Exam.schema)
                .set("window_start", to: now).set("window_end", to: now.addingTimeInterval(TimeInterval(minutes * 60 + 120)))
                .where("id", .equal, examID).run()
            return now
        }
    }

    func make() async throws -> Plan {
        let actor = Actor(userID: nil, label: "bench")
        let tag = "exam-bench-\(UUID().uuidString.prefix(6).lowercased())"
        let programme = try await ProgrammeService(database: database, actor: actor).create(["slug": tag, "name": "Exam benchmark"])
        let cohort = try await CohortService(database: database, actor: actor).create(in: programme, [
            "slug": "c1", "name": "Exam benchmark", "capacity": "100", "starts_on": "2027-06-01", "ends_on": "2027-12-20"])
        let round = try await RoundService(database: database, actor: actor, timeZone: TimeZone(identifier: "Asia/Seoul")!)
            .save(for: cohort, try RoundDraft.parse(["opens_at": "2027-01-04T09:00", "closes_at": "2027-02-05T18:00", "capacity": "100"], zone: TimeZone(identifier: "Asia/Seoul")!))
        var sessions: [UUID: String] = [:]
        for start in stride(from: 0, to: takers, by: 500) {
            let range = start..<min(start + 500, takers)
            let users = range.map { User(id: UUID(), email: "taker\($0)@\(tag).invalid", name: "Taker \($0)") }
            try await users.create(on: database)
            var tokens: [UserSession] = []
            var applicants: [Applicant] = []
            for (offset, user) in zip(range, users) {
                let token = Tokens.random()
                sessions[user.id!] = token
                tokens.append(UserSession(userID: user.id!, tokenHash: Tokens.sha256(token), expiresAt: Date().addingTimeInterval(86_400), address: nil, userAgent: nil))
                let applicant = Applicant()
                applicant.$round.id = round.id!
                applicant.$cohort.id = cohort.id!
                applicant.$user.id = user.id
                applicant.number = offset + 1
                applicant.name = user.name
                applicant.email = user.email
                applicant.stage = .submitted
                applicant.answersJSON = "{}"
                applicants.append(applicant)
            }
            try await tokens.create(on: database)
            try await applicants.create(on: database)
        }
        let later = Date().addingTimeInterval(86_400)
        let exam = try await ExamSetupService(database: database, actor: actor).saveTiming(
            ["window_start": iso(later), "window_end": iso(later.addingTimeInterval(TimeInterval(minutes * 60 + 120))),
             "duration_minutes": String(minutes), "late_start_minutes": "10", "grace_seconds": "30"], round: round, zone: .gmt)
        try await ExamSetupService(database: database, actor: actor).saveDefinition(Data(ExamDefinition.example.json.utf8), exam: exam, cohortID: cohort.id!)
        try await ExamSetupService(database: database, actor: actor).prepare(exam: exam, round: round)
        let attempts = try await ExamAttempt.query(on: database).filter(\.$exam.$id == exam.id!).all()
        let takers = attempts.compactMap { a in a.userID.flatMap { sessions[$0] }.map { Taker(attemptID: a.id!, sessionToken: $0) } }
        return Plan(examID: exam.id!, takers: takers, minutes: minutes)
    }

    private func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateTimeSeparator(.standard).time(includingFractionalSeconds: false))
            .replacingOccurrences(of: "Z", with: "").prefix(16).description
    }
}
