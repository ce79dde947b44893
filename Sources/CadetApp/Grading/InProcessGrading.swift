import CadetSandbox
import Fluent
import Foundation
import SQLKit
import Vapor

/// Grading lanes inside `cadet serve`, so one process is a whole academy: sample runs and
/// submissions are graded without a separate `cadet grade-worker` (which can still be added,
/// on this machine or others, to share the same queue).
enum InProcessGrading {
    static func job(_ app: Application, lanes: Int) -> BackgroundJob? {
        guard lanes > 0 else { return nil }
        let config = app.config
        let runner: any CodeRunner
        do {
            runner = try app.codeRunner ?? Sandbox(configuration: SandboxConfiguration(bubblewrap: config.sandboxBubblewrap, python: config.sandboxPython, concurrency: lanes))
        } catch {
            // Serving goes on: pages work, and runs wait in the queue for a worker that can grade.
            app.logger.error("grading in this process is off: the sandbox cannot be set up", metadata: ["error": .string(String(describing: error))])
            return nil
        }
        let owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):serve"
        var worker = GradingWorker.standard(database: app.db, sandbox: runner, owner: owner, concurrency: lanes, logger: app.logger)
        let activity = ExamActivity(database: app.db)
        worker.holdBackground = { await activity.examInProgress() }
        worker.pollInterval = .milliseconds(100)
        let ready = worker
        return BackgroundJob(name: "grading (\(lanes) lanes)") { await ready.run() }
    }
}

extension Application {
    private struct CodeRunnerKey: StorageKey { typealias Value = any CodeRunner }

    /// The sandbox grading uses; nil means the real bubblewrap sandbox, made when needed.
    var codeRunner: (any CodeRunner)? {
        get { storage[CodeRunnerKey.self] }
        set { storage[CodeRunnerKey.self] = newValue }
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
