import ArgumentParser
import AsyncHTTPClient
import CadetCore
import Fluent
import Foundation
import NIOCore
import NIOHTTP1
import SQLKit
import Synchronization
import Vapor

/// `cadet bench checkin`: N trainees, in classes of 30, type the code shown in their room within
/// a few minutes, through the real endpoint of a real `cadet serve` over loopback; the same run
/// times /healthz as the baseline, then counts the check-ins in the database.
struct CheckInBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkin", abstract: "N trainees check in through the real HTTP endpoint; latencies, errors, lost check-ins.")

    @Option(help: "Trainees.") var trainees = 3000
    @Option(help: "Seconds over which they check in.") var seconds = 60.0

    func validate() throws {
        guard (1...50_000).contains(trainees), seconds > 0, seconds <= 600 else { throw ValidationError("--trainees 1–50000, --seconds up to 600") }
    }

    func run() async throws {
        let bench = try BenchDatabase(try CommandSupport.loadConfig(), prefix: "checkin")
        print("Check-in: \(trainees) trainees over \(Int(seconds)) s, on \(bench.name), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let failed = try await bench.run { app in
            let plan = try await CheckInBenchSetup(database: app.db, trainees: trainees).make(secret: try await app.secrets.key(on: app.db))
            let server = try BenchServer(environment: bench.environment, graders: 0, logDirectory: bench.scratch)
            try await server.start()
            defer { server.stop() }
            let outcome = await CheckInBenchRun(plan: plan, base: server.base, seconds: seconds).go()
            let recorded = try await AttendanceRecord.query(on: app.db).filter(\.$checkInAt != nil).count()
            return CheckInBenchReport(outcome: outcome, recorded: recorded, trainees: trainees, seconds: seconds,
                                      serverMemoryKiB: server.peakMemoryKiB()).print()
        }
        if failed { throw ExitCode(1) }
    }
}

/// Trainees with sessions (signed in already: sign-in is not what this measures), classes of
/// 30, and one session per class that has just started.
struct CheckInBenchSetup {
    let database: any Database
    let trainees: Int

    struct Trainee: Sendable {
        let session: UUID
        let email: String
        let cookie: String
        let csrf: String
    }

    struct Plan: Sendable {
        let trainees: [Trainee]
        let codes: CheckInCodes
        let programme: Programme
        let cohort: Cohort
    }

    func make(secret: String) async throws -> Plan {
        let actor = Actor(userID: nil, label: "bench")
        let tag = "checkin-bench-\(UUID().uuidString.prefix(6).lowercased())"
        let programme = try await ProgrammeService(database: database, actor: actor).create(["slug": tag, "name": "Check-in benchmark"])
        let cohort = try await CohortService(database: database, actor: actor).create(in: programme, [
            "slug": "c1", "name": "Check-in benchmark", "capacity": String(trainees), "starts_on": "2026-01-05", "ends_on": "2027-12-20"])
        let course = try await TimetableService(database: database, actor: actor).addCourse(to: cohort, CourseDraft(name: "Bench", plannedHours: 960, phase: nil))
        var result: [Trainee] = []
        let now = Date()
        for start in stride(from: 0, to: trainees, by: 30) {
            let range = start..<min(start + 30, trainees)
            let trainingClass = TrainingClass()
            trainingClass.$cohort.id = cohort.id!
            trainingClass.name = "\(start / 30 + 1)반"
            try await trainingClass.create(on: database)
            let session = TrainingSession()
            session.$cohort.id = cohort.id!
            session.$trainingClass.id = trainingClass.id!
            session.$course.id = course.id!
            session.day = CalendarDate(now, in: TimeZone(identifier: "Asia/Seoul")!).iso
            session.startsAt = now.addingTimeInterval(-60)
            session.endsAt = now.addingTimeInterval(8 * 3600)
            session.minutes = 480
            try await session.create(on: database)
            let users = range.map { User(id: UUID(), email: "trainee\($0)@\(tag).invalid", name: "Trainee \($0)", emailVerifiedAt: now) }
            try await users.create(on: database)
            var sessions: [UserSession] = [], members: [ClassMember] = []
            for user in users {
                let token = Tokens.random(), binding = Tokens.random()
                sessions.append(UserSession(userID: user.id!, tokenHash: Tokens.sha256(token), expiresAt: now.addingTimeInterval(86_400), address: nil, userAgent: nil))
                let member = ClassMember()
                member.$trainingClass.id = trainingClass.id!
                member.$cohort.id = cohort.id!
                member.$user.id = user.id!
                members.append(member)
                result.append(Trainee(session: session.id!, email: user.email, cookie: "\(SessionMiddleware.cookieName)=\(token); \(CSRFMiddleware.cookieName)=\(binding)",
                                      csrf: Tokens.hmac(binding, key: secret)))
            }
            try await sessions.create(on: database)
            try await members.create(on: database)
        }
        return Plan(trainees: result, codes: CheckInCodes(secret: secret, rotation: AttendanceRules.standard.checkInRotationSeconds), programme: programme,
                    cohort: cohort)
    }
}

struct CheckInBenchOutcome: Sendable {
    var latencies: [Double] = []
    var health: [Double] = []
    var confirmed = 0
    var errors: [String: Int] = [:]
}

struct CheckInBenchRun: Sendable {
    let plan: CheckInBenchSetup.Plan
    let base: String
    let seconds: Double

    func go() async -> CheckInBenchOutcome {
        // Redirects are not followed: a check-in is answered by its 303, and following it would
        // time the confirmation page too.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            redirectConfiguration: .disallow, connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let outcome = Recorder()
        let began = ContinuousClock.now
        let gap = seconds / Double(max(1, plan.trainees.count))
        await withTaskGroup(of: Void.self) { group in
            // The baseline: /healthz, every 100 ms while the trainees check in.
            group.addTask {
                while BenchClock.seconds(since: began) < seconds {
                    let start = ContinuousClock.now
                    if let response = try? await client.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(10)), response.status == .ok {
                        _ = try? await response.body.collect(upTo: 1 << 16)
                        outcome.withLock { $0.health.append(BenchClock.seconds(since: start) * 1000) }
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            for (index, trainee) in plan.trainees.enumerated() {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int(Double(index) * gap * 1000)))
                    let code = plan.codes.current(session: trainee.session, at: Date()).code
                    var request = HTTPClientRequest(url: base + "/checkin")
                    request.method = .POST
                    request.headers.add(name: "Cookie", value: trainee.cookie)
                    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                    request.body = .bytes(ByteBuffer(string: "_csrf=\(trainee.csrf)&action=in&code=\(code)"))
                    let start = ContinuousClock.now
                    do {
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        let ms = BenchClock.seconds(since: start) * 1000
                        let located = response.headers.first(name: "Location") ?? ""
                        outcome.withLock {
                            $0.latencies.append(ms)
                            if response.status == .seeOther, located.contains("notice.checked_in") { $0.confirmed += 1 } else { $0.errors["\(response.status.code)", default: 0] += 1 }
                        }
                    } catch {
                        outcome.withLock { $0.errors["connection", default: 0] += 1 }
                    }
                }
            }
        }
        try? await client.shutdown()
        return outcome.withLock { $0 }
    }

    /// What every simulated trainee adds to, from many tasks at once.
    final class Recorder: Sendable {
        private let state = Mutex(CheckInBenchOutcome())
        func withLock<T>(_ body: (inout CheckInBenchOutcome) -> T) -> T { state.withLock { body(&$0) } }
    }
}

struct CheckInBenchReport {
    let outcome: CheckInBenchOutcome
    let recorded: Int
    let trainees: Int
    let seconds: Double
    let serverMemoryKiB: Int?

    /// Prints the figures beside their targets; returns whether the run failed.
    func print() -> Bool {
        let sorted = outcome.latencies.sorted(), health = outcome.health.sorted()
        func p(_ values: [Double], _ q: Double) -> Double { CadetMetrics.percentile(values, q) }
        let errors = outcome.errors.values.reduce(0, +)
        let lost = max(0, outcome.confirmed - recorded)
        Swift.print(String(format: "  check-in  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms   (target p99 < 50 ms)", p(sorted, 0.5), p(sorted, 0.95), p(sorted, 0.99)))
        Swift.print(String(format: "  /healthz  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms   (baseline, same run; %d samples)", p(health, 0.5), p(health, 0.95), p(health, 0.99), health.count))
        Swift.print(String(format: "  ratio check-in p99 / healthz p99: %.2f", p(sorted, 0.99) / max(0.001, p(health, 0.99))))
        Swift.print(String(format: "  rate: %.0f check-ins a minute; confirmed %d of %d; recorded %d; lost %d; errors %d %@", Double(trainees) / seconds * 60,
                           outcome.confirmed, trainees, recorded, lost, errors, outcome.errors.isEmpty ? "" : String(describing: outcome.errors)))
        if let kib = serverMemoryKiB { Swift.print(String(format: "  server peak RSS: %.0f MiB", Double(kib) / 1024)) }
        return errors > 0 || lost > 0 || outcome.confirmed != trainees
    }
}
