import CadetCore
import Fluent
import Foundation

/// A follow-up sent to a graduate at a snapshot point: a link, good for 30 days, where they tell
/// the academy where they stand without signing in. Only the token's hash is kept.
final class OutcomeFollowUp: Model, @unchecked Sendable {
    static let schema = "outcome_follow_ups"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: Cohort
    @Parent(key: "trainee_id") var trainee: User
    @Field(key: "point") var point: SnapshotPoint
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "sent_at") var sentAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "answered_at") var answeredAt: Date?

    init() {}
}

struct CreateOutcomeFollowUps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutcomeFollowUp.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("trainee_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("point", .string, .required)
            .field("token_hash", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("answered_at", .datetime)
            .unique(on: "token_hash")
            .unique(on: "cohort_id", "trainee_id", "point")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutcomeFollowUp.schema).delete()
    }
}

/// Sends follow-ups through the outbox and takes the graduates' answers.
struct FollowUpService {
    static let lifetime: TimeInterval = 30 * 24 * 3600

    let database: any Database
    let actor: Actor
    let now: Date
    let publicURL: URL

    /// One e-mail per graduate who has not had this point's follow-up yet, in Korean and English.
    /// Returns how many were queued.
    func send(_ point: SnapshotPoint, in ref: DirectoryLookup.CohortRef) async throws -> Int {
        let graduates = try await OutcomeService.graduates(of: ref.id, on: database)
        let sent = Set(try await OutcomeFollowUp.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$point == point).all().map(\.$trainee.id))
        let users = try await User.query(on: database).filter(\.$id ~~ graduates.filter { !sent.contains($0) }).all()
        let ko = Localizer(locale: .korean, timeZone: .current), en = Localizer(locale: .english, timeZone: .current)
        try await database.transaction { db in
            for user in users {
                let token = Tokens.random()
                let followUp = OutcomeFollowUp()
                followUp.$cohort.id = ref.id
                followUp.$trainee.id = try user.requireID()
                followUp.point = point
                followUp.tokenHash = Tokens.sha256(token)
                followUp.sentAt = now
                followUp.expiresAt = now.addingTimeInterval(Self.lifetime)
                try await followUp.create(on: db)
                let arguments = ["name": user.name, "cohort": ref.cohort.name, "programme": ref.programme.name,
                                 "link": publicURL.appendingPathComponent("outcome-update").absoluteString + "/" + token]
                try await Outbox.enqueue(to: user.email, subject: "\(ko("mail.follow_up.subject", arguments)) / \(en("mail.follow_up.subject", arguments))",
                                         body: ko("mail.follow_up.body", arguments) + "\n\n---\n\n" + en("mail.follow_up.body", arguments),
                                         kind: "outcome_follow_up", on: db)
            }
            try await AuditLog.record(AuditEntry(action: "careers.follow_ups_sent", entityType: "cohort", entityID: ref.id,
                                                 summary: "\(point.rawValue): \(users.count) graduates", programmeID: ref.programme.id, cohortID: ref.id),
                                      by: actor, on: db)
        }
        return users.count
    }

    /// The follow-up a link's token opens, if it is genuine and not past its date.
    func followUp(token: String) async throws -> (OutcomeFollowUp, DirectoryLookup.CohortRef, User) {
        guard token.count == 43, token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
              let followUp = try await OutcomeFollowUp.query(on: database).filter(\.$tokenHash == Tokens.sha256(token)).first(),
              followUp.expiresAt > now,
              let cohort = try await Cohort.query(on: database).filter(\.$id == followUp.$cohort.id).with(\.$programme).first(),
              let user = try await User.find(followUp.$trainee.id, on: database) else {
            throw CareersError.linkInvalid
        }
        return (followUp, DirectoryLookup.CohortRef(programme: cohort.programme, cohort: cohort, id: try cohort.requireID()), user)
    }

    /// The graduate's own answer: saved as their outcome (never as verified: only staff check the
    /// insurance record), and the link may be used again until it expires to correct it.
    func answer(_ draft: OutcomeDraft, token: String) async throws {
        let (followUp, ref, user) = try await followUp(token: token)
        var own = draft
        own.verified = false
        try await OutcomeService(database: database, actor: Actor(userID: user.id, label: user.email), now: now).save(own, of: user, in: ref)
        followUp.answeredAt = now
        try await followUp.update(on: database)
    }
}
