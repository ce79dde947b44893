import CadetCore
import CadetSandbox
import Fluent
import Foundation

/// Hackathons: creating one with its hidden key, forming teams, taking predictions (validated
/// here, scored later by LeaderboardScorer), final choices and the reveal. Everything audited.
struct HackathonService {
    let database: any Database
    let actor: Actor
    let now: Date
    var zone = TimeZone(identifier: "Asia/Seoul")!

    /// `programInput`, when given, makes it a hackathon that wants code (HackathonCode).
    func create(_ draft: HackathonDraft, key bytes: [UInt8], programInput: [UInt8]? = nil, in ref: DirectoryLookup.CohortRef) async throws -> Hackathon {
        var input: String?
        if let programInput {
            guard programInput.count <= Problem.maximumInputBytes, let text = String(validating: programInput, as: UTF8.self), !text.contains("\0") else {
                throw ProjectsError.codeRefused(reason: "input")
            }
            input = text
        }
        let key = try AnswerKey.parse(bytes, metric: draft.metric)
        // A seed whose split leaves both classes on each board where the metric needs them; a
        // key with too few of one class fails every try and is refused with the reason.
        let seeds = (0..<50).map { _ in UInt64.random(in: 1...UInt64(Int64.max)) }
        let splits = seeds.lazy.map { seed in (seed, LeaderboardSplit.publicIDs(key.ids, seed: seed, sharePercent: draft.publicPercent)) }
        let seed = splits.first { (try? key.checkParts(publicIDs: $0.1, metric: draft.metric)) != nil }?.0 ?? seeds[0]
        try key.checkParts(publicIDs: LeaderboardSplit.publicIDs(key.ids, seed: seed, sharePercent: draft.publicPercent), metric: draft.metric)
        let hackathon = Hackathon()
        hackathon.$cohort.id = ref.id
        hackathon.title = draft.title
        hackathon.brief = draft.brief
        hackathon.metric = draft.metric
        hackathon.publicPercent = draft.publicPercent
        hackathon.splitSeed = Int64(bitPattern: seed)
        hackathon.dailyCap = draft.dailyCap
        hackathon.finals = draft.finals
        hackathon.deadline = draft.deadline
        hackathon.answerKey = key.csv
        hackathon.rows = key.ids.count
        hackathon.createdAt = now
        hackathon.programInput = input
        try await database.transaction { db in
            try await hackathon.create(on: db)
            try await AuditLog.record(AuditEntry(action: "hackathon.created", entityType: "hackathon", entityID: hackathon.id,
                                                 summary: "\(draft.title): \(draft.metric.rawValue), \(key.ids.count) rows, \(draft.publicPercent)% public",
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
        return hackathon
    }

    /// A team of the cohort's trainees; anyone named who is not a trainee of the cohort, or is
    /// on another team already, is refused by address and nothing is saved.
    func addTeam(_ draft: TeamDraft, to hackathon: Hackathon, in ref: DirectoryLookup.CohortRef) async throws -> HackathonTeam {
        let users = try await User.query(on: database).filter(\.$email ~~ draft.emails).all()
        let trainees = Set(try await ClassMember.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$user.$id ~~ users.compactMap(\.id)).all().map(\.$user.id))
        let taken = Set(try await HackathonMember.query(on: database).filter(\.$hackathon.$id == hackathon.requireID()).filter(\.$user.$id ~~ users.compactMap(\.id)).all()
            .map(\.$user.id))
        let refused = draft.emails.filter { email in users.first { $0.email == email }.map { !trainees.contains($0.id!) || taken.contains($0.id!) } ?? true }
        guard refused.isEmpty else { throw ProjectsError.membersRefused(emails: refused.joined(separator: ", ")) }
        let team = HackathonTeam()
        team.$hackathon.id = try hackathon.requireID()
        team.name = draft.name
        try await database.transaction { db in
            try await team.create(on: db)
            for user in users {
                let member = HackathonMember()
                member.$hackathon.id = try hackathon.requireID()
                member.$team.id = try team.requireID()
                member.$user.id = user.id!
                try await member.create(on: db)
            }
            try await AuditLog.record(AuditEntry(action: "hackathon.team_added", entityType: "hackathon", entityID: hackathon.id,
                                                 summary: "\(draft.name): \(draft.emails.joined(separator: ", "))", programmeID: ref.programme.id, cohortID: ref.id),
                                      by: actor, on: db)
        }
        return team
    }

    /// Takes a team's prediction file: before the deadline, within the day's cap, and only if
    /// every line is valid. Scoring happens off the request (LeaderboardScorer).
    /// Where the hackathon wants code, `code` is the program, checked in the sandbox off the request.
    func submit(_ bytes: [UInt8], filename: String, code: [UInt8]? = nil, team: HackathonTeam, by user: UUID, to hackathon: Hackathon) async throws -> HackathonSubmission {
        guard now < hackathon.deadline else { throw ProjectsError.deadlinePassed }
        let dayStart = Self.dayStart(now, in: zone)
        let today = try await HackathonSubmission.query(on: database).filter(\.$team.$id == team.requireID()).filter(\.$submittedAt >= dayStart).count()
        guard today < hackathon.dailyCap else { throw ProjectsError.dailyCapReached(cap: hackathon.dailyCap) }
        let predictions = try PredictionFile.parse(bytes, key: try hackathon.key, metric: hackathon.metric)
        let source = try hackathon.programInput.map { _ in try HackathonCode.source(code).get() }
        let submission = HackathonSubmission()
        submission.$hackathon.id = try hackathon.requireID()
        submission.$team.id = try team.requireID()
        submission.submittedBy = user
        submission.submittedAt = now
        submission.filename = String(filename.prefix(200))
        submission.predictions = String(decoding: try JSONEncoder().encode(predictions), as: UTF8.self)
        submission.status = .queued
        submission.chosen = false
        submission.code = source
        let cohort = try await Cohort.find(hackathon.$cohort.id, on: database)
        try await database.transaction { db in
            try await submission.create(on: db)
            if let source, let input = hackathon.programInput {
                submission.codeJobID = try await HackathonCode.enqueue(source: source, input: input, upload: bytes, submission: submission.requireID(), on: db)
                try await submission.update(on: db)
            }
            try await AuditLog.record(AuditEntry(action: "hackathon.submitted", entityType: "hackathon", entityID: hackathon.id,
                                                 summary: "\(team.name): \(submission.filename)", programmeID: cohort?.$programme.id, cohortID: hackathon.$cohort.id),
                                      by: actor, on: db)
        }
        return submission
    }

    /// Midnight of `now`'s day in the academy's time zone: the daily cap counts from there.
    static func dayStart(_ now: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: now)
    }

    /// The team's final choices for the private board: exactly these, up to the hackathon's
    /// number; changeable until the deadline.
    func choose(_ chosen: Set<UUID>, team: HackathonTeam, in hackathon: Hackathon) async throws {
        guard now < hackathon.deadline else { throw ProjectsError.deadlinePassed }
        guard chosen.count <= hackathon.finals else { throw ProjectsError.tooManyFinals(allowed: hackathon.finals) }
        let mine = try await HackathonSubmission.summaries(on: database).filter(\.$team.$id == team.requireID()).all()
        guard chosen.isSubset(of: Set(mine.compactMap(\.id))) else { throw ProjectsError.submissionNotFound }
        try await database.transaction { db in
            for submission in mine where submission.chosen != chosen.contains(submission.id!) {
                submission.chosen = chosen.contains(submission.id!)
                try await submission.update(on: db)
            }
            try await AuditLog.record(AuditEntry(action: "hackathon.finals_chosen", entityType: "hackathon", entityID: hackathon.id,
                                                 summary: "\(team.name): \(chosen.count) of \(hackathon.finals)", cohortID: hackathon.$cohort.id), by: actor, on: db)
        }
    }

    /// Ends the hackathon now (an organiser closing early): no more uploads or changed choices.
    func close(_ hackathon: Hackathon, in ref: DirectoryLookup.CohortRef) async throws {
        guard now < hackathon.deadline else { throw ProjectsError.deadlinePassed }
        hackathon.deadline = now
        try await database.transaction { db in
            try await hackathon.update(on: db)
            try await AuditLog.record(AuditEntry(action: "hackathon.closed", entityType: "hackathon", entityID: hackathon.id, summary: hackathon.title,
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
    }

    /// Shows everyone the private board. Only after the deadline, and once.
    func reveal(_ hackathon: Hackathon, in ref: DirectoryLookup.CohortRef) async throws {
        guard hackathon.revealedAt == nil else { throw ProjectsError.alreadyRevealed }
        guard now >= hackathon.deadline else { throw ProjectsError.notYetOver }
        hackathon.revealedAt = now
        try await database.transaction { db in
            try await hackathon.update(on: db)
            try await AuditLog.record(AuditEntry(action: "hackathon.revealed", entityType: "hackathon", entityID: hackathon.id, summary: hackathon.title,
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
    }
}
