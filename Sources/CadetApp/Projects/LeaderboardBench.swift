import ArgumentParser
import AsyncHTTPClient
import CadetCore
import Fluent
import Foundation
import NIOCore
import SQLKit
import Synchronization
import Vapor

/// `cadet bench leaderboard`: N teams upload predictions for R rows over a minute through the
/// real endpoint of a real `cadet serve`, while a watcher reads the board; then the scorer drains
/// the same submissions again in this process, against parsing and scoring the file bare.
struct LeaderboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leaderboard", abstract: "Teams upload predictions over HTTP; upload, board and scoring latencies, scorer rate against bare scoring.")

    @Option(help: "Teams.") var teams = 200
    @Option(help: "Test rows in the answer key.") var rows = 10_000
    @Option(help: "Seconds over which they upload.") var seconds = 60.0

    func validate() throws {
        guard (1...2_000).contains(teams), (10...1_000_000).contains(rows), seconds > 0, seconds <= 600 else {
            throw ValidationError("--teams 1–2000, --rows 10–1000000, --seconds up to 600")
        }
    }

    func run() async throws {
        let bench = try BenchDatabase(try CommandSupport.loadConfig(), prefix: "leaderboard")
        let (environment, scratch) = (bench.environment, bench.scratch)
        print("Leaderboard: \(teams) teams, \(rows) rows, over \(Int(seconds)) s, on \(bench.name), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let (teams, rows, seconds) = (self.teams, self.rows, self.seconds)
        let failed = try await bench.run { app in
            let plan = try await CheckInBenchSetup(database: app.db, trainees: teams).make(secret: try await app.secrets.key(on: app.db))
            let ref = DirectoryLookup.CohortRef(programme: plan.programme, cohort: plan.cohort, id: try plan.cohort.requireID())
            var generator = SystemRandomNumberGenerator()
            let labels = (0..<rows).map { _ in Bool.random(using: &generator) ? 1 : 0 }
            let key = "id,target\n" + labels.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n"
            let service = HackathonService(database: app.db, actor: Actor(userID: nil, label: "bench"), now: Date())
            let hackathon = try await service.create(HackathonDraft(title: "Leaderboard benchmark", brief: "", metric: .rocAUC, publicPercent: 30, dailyCap: 100, finals: 2,
                                                                     deadline: Date().addingTimeInterval(86_400)), key: Array(key.utf8), in: ref)
            for (index, trainee) in plan.trainees.enumerated() {
                _ = try await service.addTeam(TeamDraft(name: "Team \(index + 1)", emails: [trainee.email]), to: hackathon, in: ref)
            }
            // Each team's file: the truth blurred by its own amount of noise.
            let files = plan.trainees.indices.map { team in
                let noise = 0.2 + Double(team % 10) / 10
                return "id,target\r\n" + labels.enumerated().map { "\($0.offset),\(String(format: "%.4f", min(1, max(0, Double($0.element) * 0.5 + 0.25 + Double.random(in: -noise...noise)))))" }
                    .joined(separator: "\r\n") + "\r\n"
            }
            let bare = try Self.bareScoring(files[0], hackathon: hackathon)
            let server = try BenchServer(environment: environment, graders: 0, logDirectory: scratch)
            try await server.start()
            let outcome = await LeaderboardBenchRun(plan: plan, files: files, hackathon: try hackathon.requireID(), base: server.base, seconds: seconds).go()
            // Until the server's scorer has caught up (or two minutes pass).
            let waitStart = ContinuousClock.now
            while try await HackathonSubmission.query(on: app.db).filter(\.$status == .queued).count() > 0, BenchClock.seconds(since: waitStart) < 120 {
                try await Task.sleep(for: .milliseconds(200))
            }
            server.stop()
            let scored = try await HackathonSubmission.query(on: app.db).filter(\.$status == .scored).all()
            let delays = scored.compactMap { s in s.scoredAt.map { $0.timeIntervalSince(s.submittedAt) * 1000 } }
            // The scorer's own rate: the same submissions queued again, drained here.
            try await (app.db as! any SQLDatabase).update(HackathonSubmission.schema).set("status", to: HackathonSubmission.Status.queued.rawValue).run()
            let drainStart = ContinuousClock.now
            var drained = 0
            while case let n = try await LeaderboardScorer(database: app.db).step(), n > 0 { drained += n }
            let drain = BenchClock.seconds(since: drainStart)
            return LeaderboardBenchReport(outcome: outcome, teams: teams, scored: scored.count, delays: delays, drained: drained, drainSeconds: drain,
                                          bareSeconds: bare, serverMemoryKiB: server.peakMemoryKiB()).print()
        }
        if failed { throw ExitCode(1) }
    }

    /// Seconds to validate and score one file with no database and no HTTP: the median of 9.
    static func bareScoring(_ file: String, hackathon: Hackathon) throws -> Double {
        let key = try hackathon.key, publicIDs = try hackathon.publicIDs
        var times: [Double] = []
        for _ in 0..<9 {
            let start = ContinuousClock.now
            let predicted = try PredictionFile.parse(Array(file.utf8), key: key, metric: hackathon.metric)
            _ = LeaderboardScorer.score(predicted, key: key, publicIDs: publicIDs, metric: hackathon.metric)
            times.append(BenchClock.seconds(since: start))
        }
        return times.sorted()[times.count / 2]
    }
}

struct LeaderboardBenchOutcome: Sendable {
    var uploads: [Double] = []
    var boards: [Double] = []
    var accepted = 0
    var errors: [String: Int] = [:]
}

struct LeaderboardBenchRun: Sendable {
    let plan: CheckInBenchSetup.Plan
    let files: [String]
    let hackathon: UUID
    let base: String
    let seconds: Double

    func go() async -> LeaderboardBenchOutcome {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            redirectConfiguration: .disallow, connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let state = Recorder()
        let began = ContinuousClock.now
        let gap = seconds / Double(max(1, plan.trainees.count))
        let page = base + "/hackathons/\(hackathon.uuidString.lowercased())"
        await withTaskGroup(of: Void.self) { group in
            // A watcher with the first team's session reads the live board every 500 ms.
            group.addTask {
                while BenchClock.seconds(since: began) < seconds + 5 {
                    var request = HTTPClientRequest(url: page + "/board")
                    request.headers.add(name: "Cookie", value: plan.trainees[0].cookie)
                    let start = ContinuousClock.now
                    if let response = try? await client.execute(request, timeout: .seconds(10)), response.status == .ok {
                        _ = try? await response.body.collect(upTo: 1 << 22)
                        state.withLock { $0.boards.append(BenchClock.seconds(since: start) * 1000) }
                    }
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            for (index, trainee) in plan.trainees.enumerated() {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int(Double(index) * gap * 1000)))
                    let boundary = "cadet-bench-\(index)"
                    var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(trainee.csrf)\r\n"
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"predictions\"; filename=\"team\(index).csv\"\r\nContent-Type: text/csv\r\n\r\n"
                    body += files[index] + "\r\n--\(boundary)--\r\n"
                    var request = HTTPClientRequest(url: page + "/submissions")
                    request.method = .POST
                    request.headers.add(name: "Cookie", value: trainee.cookie)
                    request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
                    request.body = .bytes(ByteBuffer(string: body))
                    let start = ContinuousClock.now
                    do {
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 22)
                        let ms = BenchClock.seconds(since: start) * 1000
                        let accepted = response.status == .seeOther && (response.headers.first(name: "Location") ?? "").contains("notice.predictions_received")
                        state.withLock {
                            $0.uploads.append(ms)
                            if accepted { $0.accepted += 1 } else { $0.errors["\(response.status.code)", default: 0] += 1 }
                        }
                    } catch {
                        state.withLock { $0.errors["connection", default: 0] += 1 }
                    }
                }
            }
        }
        try? await client.shutdown()
        return state.withLock { $0 }
    }

    final class Recorder: Sendable {
        private let state = Mutex(LeaderboardBenchOutcome())
        func withLock<T>(_ body: (inout LeaderboardBenchOutcome) -> T) -> T { state.withLock { body(&$0) } }
    }
}

struct LeaderboardBenchReport {
    let outcome: LeaderboardBenchOutcome
    let teams: Int
    let scored: Int
    let delays: [Double]
    let drained: Int
    let drainSeconds: Double
    let bareSeconds: Double
    let serverMemoryKiB: Int?

    /// Prints the figures; returns whether the run failed (an error, or a submission not scored).
    func print() -> Bool {
        func p(_ values: [Double], _ q: Double) -> Double { CadetMetrics.percentile(values.sorted(), q) }
        let errors = outcome.errors.values.reduce(0, +)
        Swift.print(String(format: "  upload         p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms   (validated on the request)", p(outcome.uploads, 0.5), p(outcome.uploads, 0.95), p(outcome.uploads, 0.99)))
        Swift.print(String(format: "  board          p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms   (%d reads while uploading)", p(outcome.boards, 0.5), p(outcome.boards, 0.95), p(outcome.boards, 0.99), outcome.boards.count))
        Swift.print(String(format: "  upload→scored  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms", p(delays, 0.5), p(delays, 0.95), delays.max() ?? 0))
        let scorerRate = Double(drained) / max(drainSeconds, 1e-9), bareRate = 1 / max(bareSeconds, 1e-9)
        Swift.print(String(format: "  scorer: %.1f files/s (%d drained in %.2f s); bare parse+score: %.1f files/s; ratio %.2f", scorerRate, drained, drainSeconds, bareRate, scorerRate / bareRate))
        Swift.print("  accepted \(outcome.accepted) of \(teams); scored \(scored); errors \(errors) \(outcome.errors.isEmpty ? "" : String(describing: outcome.errors))")
        if let kib = serverMemoryKiB { Swift.print(String(format: "  server peak RSS: %.0f MiB", Double(kib) / 1024)) }
        return errors > 0 || scored != teams || outcome.accepted != teams
    }
}
