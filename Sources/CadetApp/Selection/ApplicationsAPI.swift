import CadetCore
import Fluent
import Vapor

/// /api/v1/…/applications: a cohort's applications for its staff, and moving one along the
/// pipeline with the same rules, notices and audit as the pipeline page.
enum ApplicationsAPI {
    static func register(_ api: any RoutesBuilder) {
        let applications = api.grouped("programmes", ":programme", "cohorts", ":cohort", "applications")
        applications.get(use: list)
        applications.get(":application", use: show)
        applications.post(":application", "stage", use: move)
    }

    struct ScoresDTO: Encodable {
        let document: Double?
        let test: Double?
        let interview: Double?
        let final: Double?
    }

    struct ApplicationDTO: Encodable {
        let id: UUID
        let number: Int?
        let name: String
        let email: String
        let stage: String
        let submittedAt: Date?
        let birthDate: String?
        let region: String?
        let gender: String?
        let education: String?
        let majorField: String?
        let employmentStatus: String?
        let sponsored: Bool
        let scores: ScoresDTO
        let rank: Int?
        let waitlistPosition: Int?

        init(_ a: Applicant) {
            id = a.id!
            number = a.number
            name = a.name
            email = a.email
            stage = a.stage.rawValue
            submittedAt = a.submittedAt
            birthDate = a.birthDate
            region = a.region
            gender = a.gender
            education = a.education
            majorField = a.majorField
            employmentStatus = a.employmentStatus
            sponsored = a.sponsorshipID != nil
            scores = ScoresDTO(document: a.documentScore, test: a.testScore, interview: a.interviewScore, final: a.finalScore)
            rank = a.rank
            waitlistPosition = a.waitlistPosition
        }
    }

    struct MoveRequest: Decodable {
        let stage: String
    }

    /// Submitted applications (drafts are the applicant's own business), by number.
    @Sendable static func list(_ req: Request) async throws -> Response {
        let ref = try await PipelineController.staffRound(req)
        let paging = try APIPaging(req)
        var query = Applicant.query(on: req.db).filter(\.$round.$id == ref.round.id!).filter(\.$stage != .draft).sort(\.$number)
        if let raw = try? req.query.get(String.self, at: "stage") {
            guard let stage = ApplicationStage(rawValue: raw), stage != .draft else { throw APIError.badParameter("stage") }
            query = query.filter(\.$stage == stage)
        }
        if let after = paging.after {
            guard let number = Int(after) else { throw APIError.badCursor }
            query = query.filter(\.$number > number)
        }
        let rows = try await query.limit(paging.limit + 1).all()
        return try APIJSON.response(paging.page(rows, key: { String($0.number ?? 0) }, item: ApplicationDTO.init))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await PipelineController.staffRound(req)
        let applicant = try await RecruitmentLookup.applicant(req, in: ref, parameter: "application")
        guard applicant.stage != .draft else { throw RecruitmentError.applicationNotFound }
        return try APIJSON.response(ApplicationDTO(applicant))
    }

    /// 200 with the application moved; 409 when its stage does not allow that move.
    @Sendable static func move(_ req: Request) async throws -> Response {
        let ref = try await PipelineController.staffRound(req)
        let applicant = try await RecruitmentLookup.applicant(req, in: ref, parameter: "application")
        guard applicant.stage != .draft else { throw RecruitmentError.applicationNotFound }
        let body = try req.apiBody(MoveRequest.self)
        guard let target = ApplicationStage(rawValue: body.stage) else { throw ValidationFailure([FieldIssue("stage", .unknownChoice)]) }
        let outcome = try await PipelineService(database: req.db, actor: req.actor, localizer: req.localizer).move([applicant.id!], in: ref.cohort, to: target)
        guard outcome.moved == 1 else { throw RecruitmentError.notAllowedNow }
        let moved = try await Applicant.find(applicant.id, on: req.db)
        return try APIJSON.response(ApplicationDTO(moved ?? applicant))
    }
}
