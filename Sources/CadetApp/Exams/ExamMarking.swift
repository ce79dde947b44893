import Vapor

/// Marks a submission after its taker has had the answer. At the end of a test thousands of
/// submissions come in the same minute; marking each inside its request (reading the paper and
/// the answers, scoring, writing the marks and the grading jobs) made the last takers wait many
/// seconds for the page that says their test is in (docs/exams.md). The submission itself is
/// committed before the answer; its marking follows here, a few at a time, beside the saves of
/// those still writing. If the process dies first, the sweeper marks what is left.
enum ExamMarking {
    /// Markings under way at once: enough for their writes to share group commits.
    static let width = 4

    static func lane(for app: Application) -> BackgroundLane {
        BackgroundLane(width: width) { [weak app] attemptID in
            guard let app else { return }
            do {
                try await mark(attemptID, app)
            } catch {
                app.logger.warning("marking a submission failed; the sweeper will mark it", metadata: ["attempt": .string(attemptID.uuidString), "error": .string("\(error)")])
            }
        }
    }

    static func mark(_ attemptID: UUID, _ app: Application) async throws {
        let grading = ExamGrading(database: app.db, writes: app.groupCommit)
        guard let marking = try await grading.marks(attemptID) else { return }
        _ = try await app.examWrite { try await grading.record(marking) }
    }

    /// Skips the markings not begun when the application stops (the sweeper marks them).
    struct Shutdown: LifecycleHandler {
        func shutdownAsync(_ app: Application) async { await app.examMarking.close() }
    }
}

extension Application {
    private struct ExamMarkingKey: StorageKey { typealias Value = BackgroundLane }

    /// Submissions waiting to be marked in this process.
    var examMarking: BackgroundLane {
        get { configured(ExamMarkingKey.self) }
        set { storage[ExamMarkingKey.self] = newValue }
    }
}
