import CadetCore
import Fluent
import Vapor

/// /api/v1/…/exam/results: the admission test's scores, for the cohort's staff.
enum ExamResultsAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("programmes", ":programme", "cohorts", ":cohort", "exam", "results", use: results)
    }

    struct ResultDTO: Encodable {
        let attemptId: UUID
        let number: Int?
        let name: String
        let status: String
        let objective: Double?
        let code: Double?
        let total: Double?
        let max: Double?
        /// Graded in full (code answers included).
        let graded: Bool
    }

    @Sendable static func results(_ req: Request) async throws -> Response {
        let ref = try await ExamSetupController.staffRef(req)
        let exam = try ref.requireExam()
        let paging = try APIPaging(req)
        var attempts = try await ExamQueries(database: req.db).attempts(of: exam.id!).sorted { ($0.number ?? 0, $0.id.uuidString) < ($1.number ?? 0, $1.id.uuidString) }
        if let after = paging.after {
            guard let number = Int(after) else { throw APIError.badCursor }
            attempts = attempts.filter { ($0.number ?? 0) > number }
        }
        return try APIJSON.response(paging.page(Array(attempts.prefix(paging.limit + 1)), key: { String($0.number ?? 0) }) { a in
            ResultDTO(attemptId: a.id, number: a.number, name: a.name, status: a.status.rawValue, objective: a.objective, code: a.code,
                      total: a.total, max: a.max, graded: a.gradedAt != nil)
        })
    }
}
