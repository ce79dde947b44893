import CadetCore
import Fluent
import Vapor

/// Finds the round and the applications a URL names; callers authorise on the cohort's scope.
enum RecruitmentLookup {
    struct RoundRef {
        let cohortRef: DirectoryLookup.CohortRef
        let round: RecruitmentRound
        var cohort: Cohort { cohortRef.cohort }
        var scope: Scope { cohortRef.scope }
        var base: String { "/programmes/\(cohortRef.programme.slug)/cohorts/\(cohortRef.cohort.slug)" }
    }

    static func round(_ req: Request) async throws -> RoundRef {
        let ref = try await DirectoryLookup.cohort(req)
        guard let round = try await RoundService.round(of: ref.id, on: req.db) else { throw RecruitmentError.noRound }
        return RoundRef(cohortRef: ref, round: round)
    }

    static func applicant(_ req: Request, in ref: RoundRef, parameter: String = "applicant") async throws -> Applicant {
        guard let id = req.parameters.get(parameter, as: UUID.self),
              let applicant = try await Applicant.query(on: req.db).filter(\.$id == id).filter(\.$round.$id == ref.round.id!).first() else {
            throw RecruitmentError.applicationNotFound
        }
        return applicant
    }

    /// The signed-in person's own application, with its round and cohort. Another person's
    /// application is "not found" for them, not "forbidden": its existence is nobody's business.
    static func own(_ req: Request) async throws -> (Applicant, RecruitmentRound, Cohort, Programme) {
        let user = try req.requireUser()
        guard let id = req.parameters.get("application", as: UUID.self),
              let applicant = try await Applicant.query(on: req.db).filter(\.$id == id).with(\.$round).with(\.$cohort).first(),
              user.applicationOwner.owns(linkedUser: applicant.$user.id, email: applicant.email) else {
            throw RecruitmentError.applicationNotFound
        }
        guard let programme = try await Programme.find(applicant.cohort.$programme.id, on: req.db) else { throw RecruitmentError.applicationNotFound }
        return (applicant, applicant.round, applicant.cohort, programme)
    }
}

extension Request {
    /// The round's times and facts as text in the reader's language.
    func roundTimes(_ round: RecruitmentRound) -> (opens: String, closes: String) {
        (localizer.dateTime(round.opensAt), localizer.dateTime(round.closesAt))
    }

    /// A form field in the browser's datetime-local format, in the academy's time zone.
    func localInput(_ date: Date) -> String {
        localizer.dateTime(date).replacingOccurrences(of: " ", with: "T")
    }
}
