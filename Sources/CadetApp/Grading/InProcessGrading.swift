import CadetSandbox
import Fluent
import Foundation
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// Grading lanes inside `cadet serve`, so one process is a whole academy: sample runs and
/// submissions are graded without a separate `cadet grade-worker` (which can still be added,
/// on this machine or others, to share the same queue).
struct InProcessGrading: LifecycleHandler {
    let lanes: Int
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(lanes: Int) {
        self.lanes = lanes
    }

    func didBootAsync(_ app: Application) async throws {
        let config = app.config
        let sandbox: Sandbox
        do {
            sandbox = try Sandbox(configuration: SandboxConfiguration(bubblewrap: config.sandboxBubblewrap, python: config.sandboxPython, concurrency: lanes))
        } catch {
            // Serving goes on: pages work, and runs wait in the queue for a worker that can grade.
            app.logger.error("grading in this process is off: the sandbox cannot be set up", metadata: ["error": .string(String(describing: error))])
            return
        }
        let owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):serve"
        var worker = GradingWorker.standard(database: app.db, sandbox: sandbox, owner: owner, concurrency: lanes, logger: app.logger)
        let activity = ExamActivity(database: app.db)
        worker.holdBackground = { await activity.examInProgress() }
        worker.pollInterval = .milliseconds(100)
        let ready = worker
        let running = Task { await ready.run() }
        task.withLockedValue { $0 = running }
    }

    func shutdownAsync(_ app: Application) async {
        let running = task.withLockedValue { $0 }
        running?.cancel()
        await running?.value
    }
}

/// Whether anyone is sitting a test right now, asked at most every few seconds.
actor ExamActivity {
    let database: any Database
    private var answer = false
    private var askedAt: Date = .distantPast

    init(database: any Database) {
        self.database = database
    }

    func examInProgress(now: Date = Date()) async -> Bool {
        if now.timeIntervalSince(askedAt) < 5 { return answer }
        askedAt = now
        answer = (try? await (database as! any SQLDatabase).select().column("id").from(ExamAttempt.schema)
            .where("status", .equal, ExamAttempt.Status.started.rawValue).where("saves_until", .greaterThanOrEqual, now)
            .limit(1).first()) != nil
        return answer
    }
}
