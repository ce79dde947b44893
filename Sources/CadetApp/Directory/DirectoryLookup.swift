import CadetCore
import Fluent
import Vapor

/// Finds the records a URL names. Authorisation is checked by the caller on the scope returned,
/// before anything about the record is shown.
enum DirectoryLookup {
    struct ProgrammeRef {
        let programme: Programme
        let id: UUID
        var scope: Scope { .programme(ProgrammeID(id)) }
    }

    struct CohortRef {
        let programme: Programme
        let cohort: Cohort
        let id: UUID
        var scope: Scope { .cohort(CohortID(id), in: ProgrammeID(cohort.$programme.id)) }
    }

    static func programme(_ req: Request) async throws -> ProgrammeRef {
        // Only a well-formed slug reaches the database (a path may carry anything, even a NUL).
        let slug = req.parameters.get("programme") ?? ""
        guard Slug.isValid(slug), let programme = try await Programme.query(on: req.db).filter(\.$slug == slug).first(), let id = programme.id else {
            throw DirectoryError.programmeNotFound
        }
        return ProgrammeRef(programme: programme, id: id)
    }

    static func cohort(_ req: Request) async throws -> CohortRef {
        let parent = try await programme(req)
        let slug = req.parameters.get("cohort") ?? ""
        guard Slug.isValid(slug), let cohort = try await Cohort.query(on: req.db).filter(\.$programme.$id == parent.id).filter(\.$slug == slug).first(),
              let id = cohort.id else {
            throw DirectoryError.cohortNotFound
        }
        return CohortRef(programme: parent.programme, cohort: cohort, id: id)
    }

    static func trainingClass(_ req: Request, in ref: CohortRef) async throws -> TrainingClass {
        guard let id = req.parameters.get("class", as: UUID.self),
              let found = try await TrainingClass.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else {
            throw DirectoryError.classNotFound
        }
        return found
    }
}
