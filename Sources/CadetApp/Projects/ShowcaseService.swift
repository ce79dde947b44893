import CadetCore
import Fluent
import Foundation

/// The showcase (성과보고회): its set-up, its judges, their rubric marks and pairwise votes, the
/// results and the awards. Judges never see, mark or compare a team they are recused from.
struct ShowcaseService {
    let database: any Database
    let actor: Actor
    let now: Date

    /// Roles whose holders may be appointed to judge.
    static let judgeRoles: Set<Role> = ProjectLookup.mentorRoles.union([.committeeMember])

    func save(_ draft: ShowcaseDraft, in ref: DirectoryLookup.CohortRef) async throws -> Showcase {
        let showcase = try await Showcase.query(on: database).filter(\.$cohort.$id == ref.id).first() ?? Showcase()
        showcase.$cohort.id = ref.id
        showcase.title = draft.title
        showcase.heldOn = draft.heldOn.iso
        showcase.place = draft.place
        showcase.rubricJSON = String(decoding: try JSONEncoder().encode(draft.rubric), as: UTF8.self)
        showcase.pairwise = draft.pairwise
        showcase.published = draft.published
        try await database.transaction { db in
            try await showcase.save(on: db)
            try await audit("showcase.saved", showcase, "\(draft.title) \(draft.heldOn.iso), \(draft.rubric.criteria.count) criteria, pairwise \(draft.pairwise), published \(draft.published)", ref, on: db)
        }
        return showcase
    }

    func addJudge(_ person: User, to showcase: Showcase, in ref: DirectoryLookup.CohortRef) async throws {
        let grants = try await RoleGrant.query(on: database).filter(\.$user.$id == person.requireID()).all().compactMap(\.grant)
        guard grants.contains(where: { Self.judgeRoles.contains($0.role) && $0.scope.covers(ref.scope) }) else { throw ProjectsError.notAJudge }
        let judge = ShowcaseJudge()
        judge.$showcase.id = try showcase.requireID()
        judge.$user.id = try person.requireID()
        try await database.transaction { db in
            try await judge.create(on: db)
            try await audit("showcase.judge_added", showcase, person.email, ref, on: db)
        }
    }

    /// The cohort's teams, each with whether (and why) this judge is recused from it.
    func teams(for judge: User, in ref: DirectoryLookup.CohortRef) async throws -> [(ProjectProposal, Recusal?)] {
        let projects = try await ProjectProposal.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).with(\.$company)
            .sort(\.$createdAt).sort(\.$title).all()
        let id = try judge.requireID()
        let mentored = Set(try await ProjectMentor.query(on: database).filter(\.$user.$id == id).all().map(\.$proposal.id))
        let member = try await ProjectMember.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == id).first()?.$proposal.id
        return projects.map { p in
            (p, Recusal.reason(mentorsTeam: mentored.contains(p.id!), contactOfTeamsCompany: p.company?.contactEmail == judge.email, onTeam: member == p.id))
        }
    }

    func mark(_ project: ProjectProposal, marks: [Int], by judge: User, in showcase: Showcase, ref: DirectoryLookup.CohortRef) async throws {
        try await requireOpen(project, to: judge, in: ref)
        let judgeID = try judge.requireID()
        let score = try await RubricScore.query(on: database).filter(\.$showcase.$id == showcase.requireID()).filter(\.$judgeID == judgeID)
            .filter(\.$proposal.$id == project.requireID()).first() ?? RubricScore()
        score.$showcase.id = try showcase.requireID()
        score.judgeID = judgeID
        score.$proposal.id = try project.requireID()
        score.marksJSON = String(decoding: try JSONEncoder().encode(marks), as: UTF8.self)
        score.markedAt = now
        try await database.transaction { db in
            try await score.save(on: db)
            try await audit("showcase.marked", showcase, "\(judge.email) → \(project.title): \(marks)", ref, on: db)
        }
    }

    /// The pair this judge is to compare now, from every vote so far.
    func nextPair(for judge: User, in showcase: Showcase, ref: DirectoryLookup.CohortRef) async throws -> (ProjectProposal, ProjectProposal)? {
        let open = try await teams(for: judge, in: ref).filter { $0.1 == nil }.map(\.0)
        let votes = try await PairwiseVote.query(on: database).filter(\.$showcase.$id == showcase.requireID()).sort(\.$votedAt).sort(\.$id).all()
        let (beliefs, judges) = CrowdBT.replay(votes.map { ($0.judgeID, $0.winnerID, $0.loserID) }, teams: open.compactMap(\.id))
        let judgeID = try judge.requireID()
        let mine = votes.filter { $0.judgeID == judgeID }
        let seen = Set(mine.flatMap { [$0.winnerID, $0.loserID] })
        // The newer team of the judge's last pair stays on screen, as at Gavel: one new team a vote.
        let earlier = Set(mine.dropLast().flatMap { [$0.winnerID, $0.loserID] })
        let last = mine.last.map { earlier.contains($0.winnerID) ? $0.loserID : $0.winnerID }
        guard let pair = CrowdBT.nextPair(judge: judges[judgeID] ?? CrowdBT.Judge(), last: last, seen: seen, open: open.compactMap(\.id), beliefs: beliefs) else { return nil }
        return (open.first { $0.id == pair.0 }!, open.first { $0.id == pair.1 }!)
    }

    /// A pairwise vote, taken only for the pair the judge was shown (a stale or forged pair is refused).
    func vote(winner: UUID, loser: UUID, by judge: User, in showcase: Showcase, ref: DirectoryLookup.CohortRef) async throws {
        guard showcase.pairwise else { throw ProjectsError.pairwiseOff }
        guard let pair = try await nextPair(for: judge, in: showcase, ref: ref), Set([pair.0.id!, pair.1.id!]) == Set([winner, loser]) else {
            throw ProjectsError.stalePair
        }
        let vote = PairwiseVote()
        vote.$showcase.id = try showcase.requireID()
        vote.judgeID = try judge.requireID()
        vote.winnerID = winner
        vote.loserID = loser
        vote.votedAt = now
        try await database.transaction { db in
            try await vote.create(on: db)
            let names = [pair.0, pair.1].reduce(into: [UUID: String]()) { $0[$1.id!] = $1.title }
            try await audit("showcase.voted", showcase, "\(judge.email): \(names[winner] ?? "") > \(names[loser] ?? "")", ref, on: db)
        }
    }

    struct Result { let project: ProjectProposal; let points: Double?; let judges: Int; let strength: Double?; let awards: [String] }

    /// Every team with its mean rubric points, how many judges marked it, and its Crowd-BT
    /// strength; best rubric first.
    func results(_ showcase: Showcase, in ref: DirectoryLookup.CohortRef) async throws -> [Result] {
        let projects = try await ProjectProposal.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).with(\.$company).all()
        let scores = Dictionary(grouping: try await RubricScore.query(on: database).filter(\.$showcase.$id == showcase.requireID()).all(), by: \.$proposal.id)
        let votes = try await PairwiseVote.query(on: database).filter(\.$showcase.$id == showcase.requireID()).sort(\.$votedAt).sort(\.$id).all()
        let beliefs = CrowdBT.replay(votes.map { ($0.judgeID, $0.winnerID, $0.loserID) }, teams: projects.compactMap(\.id)).teams
        let compared = Set(votes.flatMap { [$0.winnerID, $0.loserID] })
        let awards = Dictionary(grouping: try await ShowcaseAward.query(on: database).filter(\.$showcase.$id == showcase.requireID()).all(), by: \.$proposal.id)
        let rubric = showcase.rubric
        return projects.map { p in
            let marks = scores[p.id!] ?? []
            let points = marks.isEmpty ? nil : marks.map { rubric.points($0.marks) }.reduce(0, +) / Double(marks.count)
            return Result(project: p, points: points, judges: marks.count, strength: compared.contains(p.id!) ? beliefs[p.id!]?.mu : nil,
                          awards: (awards[p.id!] ?? []).map(\.title))
        }.sorted { ($0.points ?? -1, $0.strength ?? -.infinity, $1.project.title) > ($1.points ?? -1, $1.strength ?? -.infinity, $0.project.title) }
    }

    /// An award to a team; every member has it on their record too (certificates list it).
    func award(_ title: String, to project: ProjectProposal, on day: CalendarDate, in showcase: Showcase, ref: DirectoryLookup.CohortRef) async throws {
        let members = try await ProjectMember.query(on: database).filter(\.$proposal.$id == project.requireID()).with(\.$user).all()
        let record = ShowcaseAward()
        record.$showcase.id = try showcase.requireID()
        record.$proposal.id = try project.requireID()
        record.title = title
        try await database.transaction { db in
            try await record.create(on: db)
            let completion = CompletionService(database: db, actor: actor, now: now)
            for member in members {
                try await completion.award(AwardDraft(title: "\(title) · \(project.title)", awardedOn: day), to: member.user, in: ref)
            }
            try await audit("showcase.awarded", showcase, "\(title) → \(project.title) (\(members.count) members)", ref, on: db)
        }
    }

    private func requireOpen(_ project: ProjectProposal, to judge: User, in ref: DirectoryLookup.CohortRef) async throws {
        guard let entry = try await teams(for: judge, in: ref).first(where: { $0.0.id == project.id }) else { throw ProjectsError.proposalNotFound }
        if let reason = entry.1 { throw ProjectsError.recused(reason) }
    }

    private func audit(_ action: String, _ showcase: Showcase, _ summary: String, _ ref: DirectoryLookup.CohortRef, on db: any Database) async throws {
        try await AuditLog.record(AuditEntry(action: action, entityType: "showcase", entityID: showcase.id, summary: summary, programmeID: ref.programme.id, cohortID: ref.id),
                                  by: actor, on: db)
    }
}
