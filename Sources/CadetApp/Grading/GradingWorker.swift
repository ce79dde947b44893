import CadetSandbox
import Fluent
import Foundation
import Logging

/// Takes jobs from the queue and grades them in the sandbox, `concurrency` at a time. Several
/// workers, in this process or others, may share one queue.
struct GradingWorker: Sendable {
    let queue: GradingQueue
    let sandbox: any CodeRunner
    let owner: String
    let concurrency: Int
    /// How long an idle worker waits before looking again.
    var pollInterval: Duration = .milliseconds(20)
    let logger: Logger
    /// Told of each result this worker records (an exam's answers wait for theirs).
    var recorders: [any GradingResultRecorder] = []
    /// When set, background jobs (submissions) wait while this says an exam is being sat: the
    /// web server's own lanes then leave the processor to the takers, and grade after the window
    /// (dedicated `cadet grade-worker` processes do not wait).
    var holdBackground: (@Sendable () async -> Bool)?

    /// The lease outlives the slowest possible run, so a live worker never loses its job.
    func lease(for problem: Problem) -> TimeInterval {
        Double(problem.tests.count) * (problem.limits.wallSeconds + 0.5) + 30
    }

    /// Runs until the task is cancelled. Without a working sandbox it grades nothing and says
    /// why, checking again every `recheck`.
    func run(recheck: Duration = .seconds(30)) async {
        while !Task.isCancelled {
            if let reason = await sandbox.probe().reason {
                logger.error("grading paused: the sandbox is not available", metadata: ["reason": .string(reason)])
                try? await Task.sleep(for: recheck)
                continue
            }
            logger.info("grading worker started", metadata: ["owner": .string(owner), "concurrency": .stringConvertible(concurrency)])
            await withTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask { await self.lane(lane) }
                }
            }
        }
    }

    private func lane(_ lane: Int) async {
        while !Task.isCancelled {
            do {
                if try await gradeNext() == false {
                    try? await Task.sleep(for: pollInterval)
                }
            } catch {
                logger.error("grading failed", metadata: ["error": .string(String(describing: error))])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Grades one job if there is one. Returns whether there was.
    @discardableResult
    func gradeNext() async throws -> Bool {
        let upTo: GradingJob.Priority = await holdBackground?() == true ? .interactive : .background
        guard let claim = try await queue.claim(owner: owner, lease: 120, upTo: upTo) else { return false }
        let needed = lease(for: claim.problem)
        if needed > 120 { try await queue.extend(claim, by: needed) }
        let started = ContinuousClock.now
        let report = try await sandbox.grade(source: Data(claim.source.utf8), problem: claim.problem)
        let recorded = try await queue.complete(claim, report: report)
        if recorded {
            for recorder in recorders { try await recorder.record(claim, report: report) }
        }
        logger.info("graded", metadata: [
            "job": .string(claim.id.uuidString), "verdict": .string(report.verdict.rawValue),
            "ms": .stringConvertible((ContinuousClock.now - started).milliseconds),
            "recorded": .stringConvertible(recorded),
        ])
        return true
    }
}

/// Code that wants to hear when a job it queued has its result. A worker that dies between
/// recording the result and telling the recorder loses nothing: recorders also catch up on
/// their own (see ExamSweeper).
protocol GradingResultRecorder: Sendable {
    func record(_ claim: GradingQueue.Claim, report: GradingReport) async throws
}

extension GradingWorker {
    /// A worker that tells every part of Cadet that waits for results.
    static func standard(database: any Database, sandbox: any CodeRunner, owner: String, concurrency: Int, logger: Logger) -> GradingWorker {
        var worker = GradingWorker(queue: GradingQueue(database: database), sandbox: sandbox, owner: owner, concurrency: concurrency, logger: logger)
        worker.recorders = [ExamGrading(database: database)]
        return worker
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
