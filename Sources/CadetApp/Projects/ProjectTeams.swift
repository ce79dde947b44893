import CadetCore
import Fluent
import Foundation

/// A cohort's teams as every project page shows them: each approved project with its members
/// (and which of their choices it was), its mentors, and the satisfaction figures.
struct ProjectTeams {
    struct Member { let user: User; let choice: Int? }
    struct Team {
        let project: ProjectProposal
        let members: [Member]
        let mentors: [(ProjectMentor, User)]
        var underfilled: Bool { members.count < project.teamMin }
    }

    let teams: [Team]
    let unplaced: [User]
    /// Trainees who ranked at least one project.
    let ranked: Int
    let trainees: Int

    var placed: Int { teams.map(\.members.count).reduce(0, +) }
    func count(choice: ClosedRange<Int>) -> Int { teams.flatMap(\.members).filter { $0.choice.map(choice.contains) ?? false }.count }

    static func load(_ ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> ProjectTeams {
        let projects = try await ProjectProposal.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).with(\.$company)
            .sort(\.$createdAt).sort(\.$title).all()
        let trainees = try await ClassMember.query(on: db).filter(\.$cohort.$id == ref.id).with(\.$user).all().map(\.user).sorted { $0.name < $1.name }
        let members = try await ProjectMember.query(on: db).filter(\.$cohort.$id == ref.id).all()
        let preferences = try await ProjectPreference.query(on: db).filter(\.$cohort.$id == ref.id).all()
        let choice = Dictionary(preferences.map { ("\($0.$user.id)|\($0.$proposal.id)", $0.rank) }, uniquingKeysWith: min)
        let mentors = try await ProjectMentor.query(on: db).filter(\.$proposal.$id ~~ projects.compactMap(\.id)).with(\.$user).all()
        let byID = Dictionary(uniqueKeysWithValues: trainees.map { ($0.id!, $0) })
        let team = Dictionary(grouping: members, by: \.$proposal.id)
        let placed = Set(members.map(\.$user.id))
        return ProjectTeams(
            teams: projects.map { p in
                Team(project: p,
                     members: (team[p.id!] ?? []).compactMap { m in byID[m.$user.id].map { Member(user: $0, choice: choice["\($0.id!)|\(p.id!)"]) } }.sorted { $0.user.name < $1.user.name },
                     mentors: mentors.filter { $0.$proposal.id == p.id }.map { ($0, $0.user) }.sorted { $0.1.name < $1.1.name })
            },
            unplaced: trainees.filter { !placed.contains($0.id!) },
            ranked: Set(preferences.map(\.$user.id)).count,
            trainees: trainees.count)
    }
}
