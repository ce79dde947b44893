import Fluent
import Foundation
import SQLKit

/// After the run, the database against what the takers were told: every confirmed save is
/// there (the same or a later one), every attempt is submitted, and no deadline moved.
struct ExamBenchCheck {
    let database: any Database
    let plan: ExamBenchSetup.Plan

    struct Result {
        var confirmedSaves = 0
        var lost = 0
        var submitted = 0
        var deadlinesMoved = 0
        var passed: Bool { lost == 0 && deadlinesMoved == 0 }
    }

    func run(_ outcome: ExamBenchOutcome) async throws -> Result {
        var result = Result()
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT x.attempt_id, x.question_key, x.value, x.seq FROM exam_answers x
              JOIN exam_attempts a ON a.id = x.attempt_id WHERE a.exam_id = \(bind: plan.examID)
            """).all()
        var stored: [UUID: [String: ExamBenchOutcome.Confirmed]] = [:]
        for row in rows {
            stored[try row.decode(column: "attempt_id", as: UUID.self), default: [:]][try row.decode(column: "question_key", as: String.self)] =
                .init(seq: try row.decode(column: "seq", as: Int.self), value: try row.decode(column: "value", as: String.self))
        }
        for (attempt, answers) in outcome.confirmed {
            for (key, confirmed) in answers {
                result.confirmedSaves += 1
                guard let kept = stored[attempt]?[key], kept.seq > confirmed.seq || (kept.seq == confirmed.seq && kept.value == confirmed.value) else {
                    result.lost += 1
                    continue
                }
            }
        }
        let attempts = try await ExamAttempt.query(on: database).filter(\.$exam.$id == plan.examID).all()
        result.submitted = attempts.filter { $0.status == .submitted }.count
        for attempt in attempts {
            if let shown = outcome.deadlines[attempt.id!], let deadline = attempt.deadlineAt, abs(deadline.milliseconds - shown) > 1 {
                result.deadlinesMoved += 1
            }
        }
        return result
    }

    /// Waits until every code answer has its result; returns how long that took.
    static func waitForGrading(_ db: any Database, plan: ExamBenchSetup.Plan) async throws -> Double {
        try await waitUntilNone(db, plan: plan, lacking: "graded_at")!
    }

    /// Waits until every submission has its marks (the marking lane follows the submissions;
    /// the sweeper, a minute later, marks what a killed server left); returns how long that took,
    /// or nil if some were still unmarked after three minutes.
    static func waitForMarking(_ db: any Database, plan: ExamBenchSetup.Plan) async throws -> Double? {
        try await waitUntilNone(db, plan: plan, lacking: "objective_score", limit: .seconds(180))
    }

    private static func waitUntilNone(_ db: any Database, plan: ExamBenchSetup.Plan, lacking column: String, limit: Duration? = nil) async throws -> Double? {
        let began = ContinuousClock.now
        while true {
            let waiting = try await (db as! any SQLDatabase).select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(ExamAttempt.schema)
                .where("exam_id", .equal, plan.examID).where("status", .equal, ExamAttempt.Status.submitted.rawValue)
                .where(SQLIdentifier(column), .is, SQLLiteral.null).first()?.decode(column: "n", as: Int.self) ?? 0
            if waiting == 0 { return BenchClock.seconds(since: began) }
            if let limit, ContinuousClock.now - began > limit { return nil }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

/// The figures, with the targets beside them.
struct ExamBenchReport {
    let takers: Int
    let outcome: ExamBenchOutcome
    let check: ExamBenchCheck.Result
    let gradingSeconds: Double?
    /// How long after the run every submission had its marks; nil if not within the limit.
    let markingSeconds: Double?
    let serverMemoryKiB: Int?
    let idleMemoryKiB: Int?
    /// Targets are relaxed by this factor on PostgreSQL, whose server shares the two cores.
    let targetScale: Double

    var passed: Bool { check.passed && outcome.errors == 0 && check.submitted == takers && markingSeconds != nil }

    func print() {
        let o = outcome
        func line(_ label: String, _ values: [Double], unit: String = "ms") -> String {
            let s = values.sorted()
            return String(format: "  %@ %6d   p50 %7.1f   p95 %7.1f   p99 %7.1f %@", label.padding(toLength: 22, withPad: " ", startingAt: 0),
                          s.count, CadetMetrics.percentile(s, 0.5), CadetMetrics.percentile(s, 0.95), CadetMetrics.percentile(s, 0.99), unit)
        }
        Swift.print(line("start (POST + paper)", o.starts))
        Swift.print(line("save", o.saves))
        Swift.print(line("submit", o.submits))
        Swift.print(line("sample run to verdict", o.runs, unit: "s"))
        Swift.print(line("/healthz (baseline)", o.health))
        let healthP99 = CadetMetrics.percentile(o.health.sorted(), 0.99)
        Swift.print("  targets (issue 14: 10,000 takers starting over 10 s on two cores\(targetScale > 1 ? String(format: "; ×%g on PostgreSQL", targetScale) : "")):")
        for (label, values, target) in [("start p99", o.starts, 3000.0), ("save p99", o.saves, 50.0), ("submit p99", o.submits, 1000.0)] {
            let p99 = CadetMetrics.percentile(values.sorted(), 0.99), goal = target * targetScale
            Swift.print(String(format: "    %@ %9.1f ms   target < %6.0f ms  %@   %7.1f× /healthz p99", label.padding(toLength: 10, withPad: " ", startingAt: 0),
                               p99, goal, p99 < goal ? "met   " : "missed", healthP99 > 0 ? p99 / healthP99 : 0))
        }
        let lastStart = o.startedBy.max() ?? 0
        Swift.print(String(format: "  started: %d of %d, the last %.1f s after the opening (target: all within 30 s)", o.startedBy.count, takers, lastStart))
        if let downtime = o.downtime { Swift.print(String(format: "  crash: server killed with SIGKILL and back in %.1f s; %d requests retried", downtime, o.retries)) }
        else { Swift.print("  requests retried: \(o.retries)") }
        Swift.print("  errors: \(o.errors)" + (o.errorKinds.isEmpty ? "" : " " + o.errorKinds.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")))
        Swift.print("  submitted: \(check.submitted) of \(takers) (\(o.submitted) confirmed to the takers)")
        Swift.print("  confirmed saves checked in the database: \(check.confirmedSaves), lost: \(check.lost); deadlines moved: \(check.deadlinesMoved)")
        Swift.print(markingSeconds.map { String(format: "  every submission marked %.1f s after the run", $0) } ?? "  some submissions were still not marked three minutes after the run")
        if let gradingSeconds { Swift.print(String(format: "  every code answer graded %.1f s after the last submission", gradingSeconds)) }
        Swift.print(String(format: "  server CPU %.1f s: %.2f ms a request (%d requests); the simulated takers used %.1f s of CPU on the same machine",
                           o.serverCPU, o.requests > 0 ? o.serverCPU / Double(o.requests) * 1000 : 0, o.requests, o.clientCPU))
        for (label, shares) in o.machineShares() { Swift.print("  the machine's cores \(label): \(shares)") }
        if let serverMemoryKiB {
            Swift.print(String(format: "  server memory: %.0f MiB idle before the morning, %.0f MiB at its peak (targets < 100 and < 500 MiB)",
                               Double(idleMemoryKiB ?? 0) / 1024, Double(serverMemoryKiB) / 1024))
        }
        Swift.print(passed ? "  PASS: nothing lost, no errors" : "  FAIL")
    }
}
