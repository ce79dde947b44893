import CadetSandbox
import Foundation
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
        let worker = GradingWorker.standard(database: app.db, sandbox: sandbox, owner: owner, concurrency: lanes, logger: app.logger)
        task.withLockedValue { $0 = Task { await worker.run() } }
    }

    func shutdownAsync(_ app: Application) async {
        let running = task.withLockedValue { $0 }
        running?.cancel()
        await running?.value
    }
}
