import CadetSandbox
import Fluent
import Vapor

/// The JSON routes the paper's script calls: saving, reporting what the browser saw, and running
/// the samples. Each carries the CSRF token in X-CSRF-Token and answers with `{error}` on refusal.
extension ExamTakerController {
    /// The hot path of the day: one guarded update and one upsert, no other reads.
    @Sendable static func saveAnswers(_ req: Request) async throws -> ExamTaking.Saved {
        let who = try who(req)
        guard let id = req.parameters.get("attempt", as: UUID.self) else { throw ExamError.noExam }
        let body = try? req.content.decode(ExamTaking.SaveRequest.self)
        return try await taking(req).save(attemptID: id, who: who, request: body)
    }

    struct EventsBody: Content {
        struct Event: Content { let kind: String; let detail: String? }
        let events: [Event]
    }

    @Sendable static func reportEvents(_ req: Request) async throws -> HTTPStatus {
        let who = try who(req)
        guard let id = req.parameters.get("attempt", as: UUID.self) else { throw ExamError.noExam }
        let body = try? req.content.decode(EventsBody.self)
        try await taking(req).report(events: body?.events.map { ($0.kind, $0.detail) }, attemptID: id, who: who)
        return .noContent
    }

    struct RunBody: Content {
        let question: String
        let source: String
    }

    struct RunStarted: Content { let run: String }

    @Sendable static func runSamples(_ req: Request) async throws -> RunStarted {
        let (attempt, exam) = try await own(req)
        let body: RunBody
        do { body = try req.content.decode(RunBody.self) } catch { throw PlatformError.badRequest("the body must be JSON: {\"question\": \"key\", \"source\": \"…\"}") }
        let id = try await ExamTaking(database: req.db).runSamples(attempt, exam: exam, who: try who(req), questionKey: body.question, source: body.source)
        return RunStarted(run: id.uuidString.lowercased())
    }

    struct RunResult: Content {
        struct Test: Content { let name: String; let verdict: String; let verdictText: String; let output: String?; let message: String? }
        let done: Bool
        let verdict: String?
        let verdictText: String?
        let message: String?
        let tests: [Test]
    }

    /// A sample run's verdicts. Samples are shown to the taker anyway, so their output is too.
    @Sendable static func sampleRun(_ req: Request) async throws -> RunResult {
        let (attempt, _) = try await own(req)
        let job = try await ExamTaking.sampleRun(req.parameters.get("run", as: UUID.self), of: attempt, on: req.db)
        let t = req.localizer
        guard let json = job.resultJSON, let report = try? JSONDecoder().decode(GradingReport.self, from: Data(json.utf8)) else {
            return RunResult(done: false, verdict: nil, verdictText: nil, message: nil, tests: [])
        }
        let tests = report.tests.filter(\.sample).map {
            RunResult.Test(name: $0.name, verdict: $0.verdict.rawValue, verdictText: t("verdict.\($0.verdict.rawValue)"), output: $0.output, message: $0.message)
        }
        return RunResult(done: true, verdict: report.verdict.rawValue, verdictText: t("verdict.\(report.verdict.rawValue)"), message: report.message, tests: tests)
    }
}
