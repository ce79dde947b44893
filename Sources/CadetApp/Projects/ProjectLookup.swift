import CadetCore
import Fluent
import Vapor

/// Finding a cohort's projects, and the people around them, for the project pages.
enum ProjectLookup {
    /// Roles whose holders may guide a team, if no conflict rule stands in the way.
    static let mentorRoles: Set<Role> = [.programmeStaff, .instructor, .teachingAssistant, .mentor, .companyContact]

    static func base(_ ref: DirectoryLookup.CohortRef) -> String { TrainingLookup.base(ref) + "/projects" }

    /// A proposal of the cohort in the URL; any other cohort's is "not found".
    static func proposal(_ req: Request, in ref: DirectoryLookup.CohortRef, parameter: String = "project") async throws -> ProjectProposal {
        guard let id = req.parameters.get(parameter, as: UUID.self) else { throw ProjectsError.proposalNotFound }
        return try await proposal(id, in: ref, on: req.db)
    }

    static func proposal(_ id: UUID, in ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> ProjectProposal {
        guard let proposal = try await ProjectProposal.query(on: db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).with(\.$company).first() else {
            throw ProjectsError.proposalNotFound
        }
        return proposal
    }

    /// The programme's companies whose contact address is this person's: the companies they
    /// speak for.
    static func companies(contactedBy email: String, in programme: Programme, on db: any Database) async throws -> [Company] {
        try await Company.query(on: db).filter(\.$programme.$id == programme.requireID()).filter(\.$contactEmail == email).sort(\.$name).all()
    }

    /// People who hold a mentoring role over the cohort, by name.
    static func mentors(for ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> [(User, Role)] {
        try await people(holding: mentorRoles, over: ref, on: db)
    }

    /// People who hold one of `roles` over the cohort, each once, by name.
    static func people(holding roles: Set<Role>, over ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> [(User, Role)] {
        let grants = try await RoleGrant.query(on: db).filter(\.$role ~~ roles.map(\.rawValue)).with(\.$user).all()
        var seen = Set<UUID>()
        return grants.compactMap { grant -> (User, Role)? in
            guard let g = grant.grant, g.scope.covers(ref.scope), seen.insert(grant.$user.id).inserted else { return nil }
            return (grant.user, g.role)
        }.sorted { $0.0.name < $1.0.name }
    }
}
