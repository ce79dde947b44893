import CadetCore
import Fluent
import Foundation

/// Graduates' outcomes in one cohort: recorded and corrected by staff (or by the graduate through
/// a follow-up link), and frozen into snapshots for the funder. Each change is one transaction
/// with its audit record.
struct OutcomeService {
    let database: any Database
    let actor: Actor
    let now: Date

    /// Those who completed the cohort in its latest completion run: the only ones with outcomes.
    static func graduates(of cohortID: UUID, on db: any Database) async throws -> [UUID] {
        try await CompletionService.latestOutcomes(of: cohortID, on: db).filter { $0.value == .completed }.map(\.key)
    }

    func graduate(_ id: UUID?, in ref: DirectoryLookup.CohortRef) async throws -> User {
        guard let id, try await Self.graduates(of: ref.id, on: database).contains(id),
              let user = try await User.find(id, on: database) else { throw CareersError.notAGraduate }
        return user
    }

    /// Saves the outcome, with new evidence if some came; returns the storage name of evidence
    /// it replaced, for the caller to remove from the document store.
    @discardableResult
    func save(_ draft: OutcomeDraft, of graduate: User, in ref: DirectoryLookup.CohortRef, evidence: DocumentStore.Stored? = nil) async throws -> String? {
        let traineeID = try graduate.requireID()
        return try await database.transaction { db in
            let existing = try await GraduateOutcome.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == traineeID).first()
            let before = existing?.draft
            let record = existing ?? GraduateOutcome()
            record.$cohort.id = ref.id
            record.$trainee.id = traineeID
            record.apply(draft, by: actor.label)
            let replaced = evidence == nil ? nil : record.evidenceStorage
            if let evidence {
                record.evidenceName = evidence.filename
                record.evidenceType = evidence.contentType
                record.evidenceStorage = evidence.storageName
            }
            try await record.save(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.outcome_saved", entityType: "user", entityID: traineeID,
                                                 summary: "\(graduate.email): \(draft.status.rawValue) (\(draft.cirr.rawValue))"
                                                     + (evidence.map { ", evidence \($0.filename) sha256 \($0.sha256.prefix(12))" } ?? ""),
                                                 programmeID: ref.programme.id, cohortID: ref.id, before: before, after: draft), by: actor, on: db)
            return replaced
        }
    }

    /// Freezes every graduate's outcome as it stands; a graduate with no record counts as not
    /// reporting. Each point is frozen once: a second freeze would rewrite what was reported.
    @discardableResult
    func freeze(_ point: SnapshotPoint, in ref: DirectoryLookup.CohortRef, on day: CalendarDate) async throws -> Int {
        let graduates = try await Self.graduates(of: ref.id, on: database)
        return try await database.transaction { db in
            if try await OutcomeSnapshot.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$point == point).count() > 0 {
                throw CareersError.snapshotTaken(point: point.rawValue)
            }
            let outcomes = Dictionary(try await GraduateOutcome.query(on: db).filter(\.$cohort.$id == ref.id).all().map { ($0.$trainee.id, $0) }) { a, _ in a }
            let snapshot = OutcomeSnapshot()
            snapshot.$cohort.id = ref.id
            snapshot.point = point
            snapshot.takenOn = day.iso
            snapshot.takenBy = actor.label
            try await snapshot.create(on: db)
            var entries: [OutcomeSnapshotEntry] = []
            for id in graduates {
                let entry = OutcomeSnapshotEntry()
                entry.$snapshot.id = try snapshot.requireID()
                entry.$trainee.id = id
                let outcome = outcomes[id]
                entry.status = outcome?.status ?? .notReporting
                entry.cirr = outcome?.cirr ?? .c4B
                entry.organisation = outcome?.organisation
                entry.verified = outcome?.verified ?? false
                entries.append(entry)
            }
            try await entries.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.snapshot_frozen", entityType: "cohort", entityID: ref.id,
                                                 summary: "\(point.rawValue) on \(day.iso): \(entries.count) graduates",
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
            return entries.count
        }
    }

    static func homeRegion(of programmeID: UUID, on db: any Database) async throws -> Region? {
        try await ProgrammeReportSetting.query(on: db).filter(\.$programme.$id == programmeID).first()?.homeRegion
    }

    func setHomeRegion(_ region: Region, of programme: Programme) async throws {
        let programmeID = try programme.requireID()
        try await database.transaction { db in
            let setting = try await ProgrammeReportSetting.query(on: db).filter(\.$programme.$id == programmeID).first() ?? ProgrammeReportSetting()
            let before = setting.id == nil ? nil : setting.homeRegion.rawValue
            setting.$programme.id = programmeID
            setting.homeRegion = region
            try await setting.save(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.home_region_set", entityType: "programme", entityID: programmeID,
                                                 summary: "\(programme.slug): \(region.rawValue)", programmeID: programmeID,
                                                 before: before, after: region.rawValue), by: actor, on: db)
        }
    }
}
