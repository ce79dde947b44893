import CadetCore
import Fluent
import Vapor

/// Finds what a training URL names; callers authorise on the cohort's scope first.
enum TrainingLookup {
    static func cohort(_ req: Request, _ permission: Permission) async throws -> DirectoryLookup.CohortRef {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(permission, in: ref.scope)
        return ref
    }

    static func session(_ req: Request, in ref: DirectoryLookup.CohortRef) async throws -> TrainingSession {
        guard let id = req.parameters.get("session", as: UUID.self),
              let session = try await TrainingSession.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id)
                .with(\.$course).with(\.$trainingClass).first() else {
            throw TrainingError.sessionNotFound
        }
        return session
    }

    /// The cohorts where this person is a trainee (a class member), newest first.
    static func traineeCohorts(of userID: UUID, on db: any Database) async throws -> [(Cohort, Programme, TrainingClass)] {
        try await ClassMember.query(on: db).filter(\.$user.$id == userID).with(\.$cohort) { $0.with(\.$programme) }.with(\.$trainingClass).all()
            .map { ($0.cohort, $0.cohort.programme, $0.trainingClass) }
            .sorted { $0.0.startsOn > $1.0.startsOn }
    }

    static func base(_ ref: DirectoryLookup.CohortRef) -> String {
        "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)"
    }
}
