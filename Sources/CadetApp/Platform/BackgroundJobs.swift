import Logging
import NIOConcurrencyHelpers
import Vapor

/// Work a serving process does besides answering requests: the outbox, the test deadline sweep,
/// grading, attendance warnings, follow-ups. Each job is a loop that runs until it is
/// cancelled; `every` makes the common kind, a step repeated on a timer.
struct BackgroundJob: Sendable {
    let name: String
    let run: @Sendable () async -> Void

    /// Runs `step` every `interval` until shutdown; a failing step is logged and tried again
    /// at the next tick, so one bad row cannot stop the loop.
    static func every(_ interval: Duration, name: String, logger: Logger, _ step: @escaping @Sendable () async throws -> Void) -> BackgroundJob {
        BackgroundJob(name: name) {
            while !Task.isCancelled {
                do {
                    try await step()
                } catch {
                    logger.error("\(name) failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

/// Starts every capability's jobs when the application boots and, at shutdown, cancels them
/// all and waits for each to finish its step.
final class BackgroundJobs: LifecycleHandler, Sendable {
    private let settings: BackgroundSettings
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    init(settings: BackgroundSettings) {
        self.settings = settings
    }

    func didBootAsync(_ app: Application) async throws {
        let jobs = Capabilities.all.flatMap { $0.jobs(app, settings: settings) }
        let started = jobs.map { job in Task { await job.run() } }
        tasks.withLockedValue { $0 = started }
        app.logger.info("background jobs started", metadata: ["jobs": .string(jobs.map(\.name).joined(separator: ", "))])
    }

    func shutdownAsync(_ app: Application) async {
        let running = tasks.withLockedValue { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
