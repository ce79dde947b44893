import CadetSandbox
import Fluent
import Foundation
import SQLKit

/// The grading queue's three moves (enqueue, claim with a lease, complete while the lease is
/// still ours) in SQL that works the same on SQLite and PostgreSQL.
struct GradingQueue: Sendable {
    /// A job whose worker disappears is offered again after its lease runs out.
    static let maximumAttempts = 3

    let database: any Database

    struct Claim: Sendable {
        let id: UUID
        let token: UUID
        let problem: Problem
        let source: String
        var purpose: String = ""
        var reference: String?
    }

    func enqueue(problem: Problem, source: String, purpose: String, reference: String? = nil,
                 priority: GradingJob.Priority = .interactive) async throws -> UUID {
        let job = GradingJob()
        job.reference = reference
        job.priority = priority.rawValue
        job.status = .queued
        job.purpose = purpose
        job.problemJSON = String(decoding: try JSONEncoder().encode(problem), as: UTF8.self)
        job.source = source
        job.attempts = 0
        job.enqueuedAt = Date()
        try await job.create(on: database)
        return job.id!
    }

    /// Queues several jobs in one statement (an attempt's code answers at submission), on the
    /// connection of the write it belongs to.
    static func enqueue(_ items: [(problem: Problem, source: String)], purpose: String, reference: String?,
                        priority: GradingJob.Priority, now: Date = Date(), on sql: any SQLDatabase) async throws -> [UUID] {
        guard !items.isEmpty else { return [] }
        let encoder = JSONEncoder()
        var insert = sql.insert(into: GradingJob.schema)
            .columns("id", "status", "purpose", "reference", "priority", "problem_json", "source", "attempts", "enqueued_at")
        var ids: [UUID] = []
        for item in items {
            let id = UUID()
            ids.append(id)
            insert = insert.values(SQLBind(id), SQLBind(GradingJob.Status.queued.rawValue), SQLBind(purpose), SQLBind(reference),
                                   SQLBind(priority.rawValue), SQLBind(String(decoding: try encoder.encode(item.problem), as: UTF8.self)),
                                   SQLBind(item.source), SQLBind(0), SQLBind(now))
        }
        try await insert.run()
        return ids
    }

    /// Takes the oldest job that is waiting or whose lease has expired. On PostgreSQL,
    /// `FOR UPDATE SKIP LOCKED` lets many workers claim at once without waiting on each other;
    /// SQLite runs one writer at a time, which makes the same statement just as safe.
    /// `upTo` leaves jobs of a lower priority (a higher number) waiting.
    func claim(owner: String, lease: TimeInterval, upTo: GradingJob.Priority = .background, now: Date = Date()) async throws -> Claim? {
        let sql = database as! any SQLDatabase
        // A cheap read first, so idle workers polling do not take SQLite's write lock.
        let waiting = try await sql.select().column("id").from(GradingJob.schema)
            .where { $0.where("status", .equal, "queued").orWhere { $0.where("status", .equal, "leased").where("lease_expires_at", .lessThan, now) } }
            .where("priority", .lessThanOrEqual, upTo.rawValue)
            .limit(1).first()
        guard waiting != nil else { return nil }

        let token = UUID()
        let skipLocked = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await sql.raw("""
            UPDATE grading_jobs
               SET status = 'leased', lease_owner = \(bind: owner), lease_token = \(bind: token),
                   lease_expires_at = \(bind: now.addingTimeInterval(lease)), attempts = attempts + 1,
                   started_at = COALESCE(started_at, \(bind: now))
             WHERE id = (SELECT id FROM grading_jobs
                          WHERE (status = 'queued' OR (status = 'leased' AND lease_expires_at < \(bind: now)))
                            AND priority <= \(bind: upTo.rawValue)
                          ORDER BY priority, enqueued_at LIMIT 1\(unsafeRaw: skipLocked))
            RETURNING id, problem_json, source, attempts, purpose, reference
            """).all()
        guard let row = rows.first else { return nil }
        let id = try row.decode(column: "id", as: UUID.self)
        let attempts = try row.decode(column: "attempts", as: Int.self)
        guard attempts <= Self.maximumAttempts,
              let problem = try? JSONDecoder().decode(Problem.self, from: Data(try row.decode(column: "problem_json", as: String.self).utf8)) else {
            try await fail(id: id, token: token, reason: attempts > Self.maximumAttempts
                           ? "grading stopped after \(Self.maximumAttempts) attempts" : "the question could not be read", now: now)
            return try await claim(owner: owner, lease: lease, upTo: upTo, now: now)
        }
        return Claim(id: id, token: token, problem: problem, source: try row.decode(column: "source", as: String.self),
                     purpose: try row.decode(column: "purpose", as: String.self), reference: try row.decode(column: "reference", as: String?.self))
    }

    /// Records the result if the lease is still ours. Returns false when another worker has
    /// taken the job over (our lease expired): its result, not ours, will be the one kept.
    @discardableResult
    func complete(_ claim: Claim, report: GradingReport, now: Date = Date()) async throws -> Bool {
        let sql = database as! any SQLDatabase
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        let rows = try await sql.update(GradingJob.schema)
            .set("status", to: GradingJob.Status.done.rawValue)
            .set("result_json", to: json)
            .set("verdict", to: report.verdict.rawValue)
            .set("score", to: report.score)
            .set("finished_at", to: now)
            .where("id", .equal, claim.id)
            .where("status", .equal, GradingJob.Status.leased.rawValue)
            .where("lease_token", .equal, claim.token)
            .returning("id")
            .all()
        return !rows.isEmpty
    }

    /// Keeps a long job's lease from running out while it is graded.
    func extend(_ claim: Claim, by seconds: TimeInterval, now: Date = Date()) async throws {
        try await (database as! any SQLDatabase).update(GradingJob.schema)
            .set("lease_expires_at", to: now.addingTimeInterval(seconds))
            .where("id", .equal, claim.id)
            .where("lease_token", .equal, claim.token)
            .run()
    }

    private func fail(id: UUID, token: UUID, reason: String, now: Date) async throws {
        try await (database as! any SQLDatabase).update(GradingJob.schema)
            .set("status", to: GradingJob.Status.failed.rawValue)
            .set("result_json", to: String(decoding: try JSONEncoder().encode(GradingReport.refused(reason, problem: nil)), as: UTF8.self))
            .set("verdict", to: Verdict.refused.rawValue)
            .set("finished_at", to: now)
            .where("id", .equal, id)
            .run()
    }

    /// Jobs waiting for a worker, for /metrics and the staff pages.
    func depth(now: Date = Date()) async throws -> Int {
        try await GradingJob.query(on: database).group(.or) {
            $0.filter(\.$status == .queued)
                .group(.and) { $0.filter(\.$status == .leased).filter(\.$leaseExpiresAt < now) }
        }.count()
    }

    /// Submit-to-verdict times of the jobs finished in the last `window`, in seconds.
    func recentLatencies(window: TimeInterval = 600, now: Date = Date()) async throws -> [Double] {
        try await GradingJob.query(on: database)
            .filter(\.$status == .done)
            .filter(\.$finishedAt >= now.addingTimeInterval(-window))
            .limit(10_000)
            .all()
            .compactMap { job in job.finishedAt.map { $0.timeIntervalSince(job.enqueuedAt) } }
    }

    func result(of id: UUID) async throws -> GradingReport? {
        guard let json = try await GradingJob.find(id, on: database)?.resultJSON else { return nil }
        return try JSONDecoder().decode(GradingReport.self, from: Data(json.utf8))
    }
}
