import CadetCore
import Fluent
import Foundation

/// A cohort's team projects: proposals and their approval, trainees' rankings, the matching,
/// staff's manual moves and the mentors. Every change is audited.
struct ProjectService {
    let database: any Database
    let actor: Actor
    let now: Date

    /// Staff's own proposals are approved as they are made; a company's and a trainee's wait.
    func propose(_ draft: ProjectDraft, kind: ProjectKind, company: Company?, by user: UUID, approved: Bool, in ref: DirectoryLookup.CohortRef) async throws -> ProjectProposal {
        let proposal = ProjectProposal()
        proposal.$cohort.id = ref.id
        proposal.kind = kind
        proposal.$company.id = company?.id
        proposal.title = draft.title
        proposal.problem = draft.problem
        proposal.data = draft.data
        proposal.skills = draft.skills
        proposal.teamMin = draft.teamMin
        proposal.teamMax = draft.teamMax
        proposal.status = approved ? .approved : .proposed
        proposal.proposedBy = user
        proposal.createdAt = now
        try await database.transaction { db in
            try await proposal.create(on: db)
            try await audit("project.proposed", proposal, "\(kind.rawValue): \(draft.title)\(company.map { " (\($0.name))" } ?? ""), \(proposal.status.rawValue)", ref, on: db)
        }
        return proposal
    }

    func decide(_ proposal: ProjectProposal, approve: Bool, in ref: DirectoryLookup.CohortRef) async throws {
        guard proposal.status == .proposed else { throw ProjectsError.alreadyDecided }
        proposal.status = approve ? .approved : .declined
        try await database.transaction { db in
            try await proposal.save(on: db)
            try await audit(approve ? "project.approved" : "project.declined", proposal, proposal.title, ref, on: db)
        }
    }

    /// Replaces the trainee's ranking; only approved projects of their cohort can be ranked.
    func savePreferences(_ draft: PreferenceDraft, of user: UUID, in ref: DirectoryLookup.CohortRef) async throws {
        try await database.transaction { db in
            try await ProjectPreference.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == user).delete()
            for (index, raw) in draft.ranking.enumerated() {
                let preference = ProjectPreference()
                preference.$cohort.id = ref.id
                preference.$user.id = user
                preference.$proposal.id = UUID(uuidString: raw)!
                preference.rank = index + 1
                try await preference.create(on: db)
            }
        }
    }

    struct Outcome: Equatable { let placed: Int; let firstChoice: Int; let unplaced: Int; let underfilled: [String] }

    /// Runs the matching over the approved projects and the cohort's trainees, replacing the
    /// teams (manual moves included); a trainee's approved free-topic project keeps its proposer.
    func match(in ref: DirectoryLookup.CohortRef) async throws -> Outcome {
        let projects = try await ProjectProposal.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).sort(\.$createdAt).sort(\.$title).all()
        guard !projects.isEmpty else { throw ProjectsError.nothingToMatch }
        let trainees = try await ClassMember.query(on: database).filter(\.$cohort.$id == ref.id).with(\.$user).all().map(\.user).sorted { $0.email < $1.email }
        let rankings = Dictionary(grouping: try await ProjectPreference.query(on: database).filter(\.$cohort.$id == ref.id).sort(\.$rank).all(), by: \.$user.id)
            .mapValues { $0.map(\.$proposal.id) }
        let pins = Dictionary(projects.filter { $0.kind == .freeTopic }.map { ($0.proposedBy, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let result = TeamMatching.match(projects: projects.map { .init(id: $0.id!, minSize: $0.teamMin, maxSize: $0.teamMax) },
                                        trainees: trainees.map { .init(id: $0.id!, ranking: rankings[$0.id!] ?? [], pinned: pins[$0.id!]) })
        let firsts = trainees.filter { user in result.assignments[user.id!].map { rankings[user.id!]?.first == $0 } ?? false }.count
        let titles = Dictionary(uniqueKeysWithValues: projects.map { ($0.id!, $0.title) })
        let outcome = Outcome(placed: result.assignments.count, firstChoice: firsts, unplaced: result.unplaced.count, underfilled: result.underfilled.compactMap { titles[$0] })
        try await database.transaction { db in
            try await ProjectMember.query(on: db).filter(\.$cohort.$id == ref.id).delete()
            for user in trainees {
                guard let project = result.assignments[user.id!] else { continue }
                let member = ProjectMember()
                member.$cohort.id = ref.id
                member.$proposal.id = project
                member.$user.id = user.id!
                try await member.create(on: db)
            }
            try await AuditLog.record(AuditEntry(action: "project.matched", entityType: "cohort", entityID: ref.id,
                                                 summary: "\(projects.count) projects: \(outcome.placed) placed (\(firsts) first choice), \(outcome.unplaced) unplaced",
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
        return outcome
    }

    /// Staff move a trainee onto a team (or onto one for the first time); the team must have room.
    func move(_ trainee: User, to proposal: ProjectProposal, in ref: DirectoryLookup.CohortRef) async throws {
        guard proposal.status == .approved else { throw ProjectsError.proposalNotApproved }
        guard try await ClassMember.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == trainee.requireID()).first() != nil else {
            throw ProjectsError.notATrainee
        }
        let current = try await ProjectMember.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == trainee.requireID()).with(\.$proposal).first()
        if current?.$proposal.id == proposal.id { return }
        let size = try await ProjectMember.query(on: database).filter(\.$proposal.$id == proposal.requireID()).count()
        guard size < proposal.teamMax else { throw ProjectsError.teamFull(max: proposal.teamMax) }
        try await database.transaction { db in
            if let current { try await current.delete(on: db) }
            let member = ProjectMember()
            member.$cohort.id = ref.id
            member.$proposal.id = try proposal.requireID()
            member.$user.id = try trainee.requireID()
            try await member.create(on: db)
            try await audit("project.member_moved", proposal, "\(trainee.email): \(current?.proposal.title ?? "—") → \(proposal.title)", ref, on: db)
        }
    }

    /// Adds a mentor or instructor to a team unless a conflict rule forbids it.
    func assignMentor(_ person: User, kind: ProjectMentor.Kind, to proposal: ProjectProposal, in ref: DirectoryLookup.CohortRef) async throws {
        guard proposal.status == .approved else { throw ProjectsError.proposalNotApproved }
        let id = try person.requireID()
        let isTrainee = try await ClassMember.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == id).first() != nil
        let grants = try await RoleGrant.query(on: database).filter(\.$user.$id == id).all().compactMap(\.grant).filter { $0.scope.covers(ref.scope) }
        guard !grants.isEmpty else { throw ProjectsError.notAMentor }
        var contactOfCompany: Bool?
        if grants.allSatisfy({ $0.role == .companyContact }) {
            let companies = try await ProjectLookup.companies(contactedBy: person.email, in: ref.programme, on: database).compactMap(\.id)
            contactOfCompany = proposal.$company.id.map(companies.contains) ?? false
        }
        let cohortTeams = try await ProjectProposal.query(on: database).filter(\.$cohort.$id == ref.id).all().compactMap(\.id)
        let teams = try await ProjectMentor.query(on: database).filter(\.$user.$id == id).filter(\.$proposal.$id ~~ cohortTeams).count()
        if let conflict = MentorRules.conflict(isTrainee: isTrainee, contactOfProjectsCompany: contactOfCompany, teams: teams) {
            throw ProjectsError.mentorConflict(conflict)
        }
        let mentor = ProjectMentor()
        mentor.$proposal.id = try proposal.requireID()
        mentor.$user.id = id
        mentor.kind = kind
        try await database.transaction { db in
            try await mentor.create(on: db)
            try await audit("project.mentor_added", proposal, "\(person.email) (\(kind.rawValue)) → \(proposal.title)", ref, on: db)
        }
    }

    func removeMentor(_ mentor: ProjectMentor, from proposal: ProjectProposal, in ref: DirectoryLookup.CohortRef) async throws {
        try await database.transaction { db in
            try await mentor.delete(on: db)
            try await audit("project.mentor_removed", proposal, "\(mentor.$user.id) ← \(proposal.title)", ref, on: db)
        }
    }

    private func audit(_ action: String, _ proposal: ProjectProposal, _ summary: String, _ ref: DirectoryLookup.CohortRef, on db: any Database) async throws {
        try await AuditLog.record(AuditEntry(action: action, entityType: "project", entityID: proposal.id, summary: summary,
                                             programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
    }
}
