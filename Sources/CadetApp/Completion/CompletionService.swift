import CadetCore
import Fluent
import Foundation

/// Completion for one cohort: its rules, departures, overrides, and runs that judge every
/// trainee from the hours ledger. Each change is one transaction with its audit record.
struct CompletionService {
    let database: any Database
    let actor: Actor
    let now: Date

    static func rules(of cohortID: UUID, on db: any Database) async throws -> (version: Int, rules: CompletionRules) {
        guard let latest = try await CompletionRuleVersion.query(on: db).filter(\.$cohort.$id == cohortID).sort(\.$version, .descending).first() else {
            return (0, CompletionRules())
        }
        return (latest.version, latest.rules)
    }

    func saveRules(_ rules: CompletionRules, for ref: DirectoryLookup.CohortRef) async throws -> Int {
        let (version, before) = try await Self.rules(of: ref.id, on: database)
        let next = CompletionRuleVersion()
        next.$cohort.id = ref.id
        next.version = version + 1
        next.rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        next.createdBy = actor.label
        try await database.transaction { db in
            try await next.create(on: db)
            try await AuditLog.record(AuditEntry(action: "completion.rules_changed", entityType: "cohort", entityID: ref.id, summary: "version \(version + 1)",
                                                 programmeID: ref.programme.id, cohortID: ref.id, before: before, after: rules), by: actor, on: db)
        }
        return version + 1
    }

    /// The cohort's trainee with this id, or a not-found: staff of one cohort cannot touch
    /// another's trainees by editing a form.
    func trainee(_ id: UUID?, in ref: DirectoryLookup.CohortRef) async throws -> User {
        guard let id, let member = try await ClassMember.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$user.$id == id).with(\.$user).first() else {
            throw CompletionError.traineeNotFound
        }
        return member.user
    }

    func recordDeparture(_ departure: Departure, of trainee: User, in ref: DirectoryLookup.CohortRef) async throws {
        let traineeID = try trainee.requireID()
        try await database.transaction { db in
            let existing = try await TraineeDeparture.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == traineeID).first()
            let record = existing ?? TraineeDeparture()
            let before = existing?.departure
            record.$cohort.id = ref.id
            record.$trainee.id = traineeID
            record.kind = departure.kind
            record.day = departure.on.iso
            record.reason = departure.reason
            record.recordedBy = actor.label
            try await record.save(on: db)
            try await AuditLog.record(AuditEntry(action: "completion.departure_recorded", entityType: "user", entityID: traineeID,
                                                 summary: "\(trainee.email): \(departure.kind.rawValue) \(departure.on.iso): \(departure.reason)",
                                                 programmeID: ref.programme.id, cohortID: ref.id, before: before, after: departure), by: actor, on: db)
        }
    }

    func clearDeparture(of trainee: User, in ref: DirectoryLookup.CohortRef, reason: String) async throws {
        let traineeID = try trainee.requireID()
        try await database.transaction { db in
            guard let existing = try await TraineeDeparture.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == traineeID).first() else { return }
            try await existing.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "completion.departure_cleared", entityType: "user", entityID: traineeID, summary: "\(trainee.email): \(reason)",
                                                 programmeID: ref.programme.id, cohortID: ref.id, before: existing.departure), by: actor, on: db)
        }
    }

    /// Sets (or, with nil, removes) staff's decision for a trainee. The reason is mandatory
    /// either way and kept in the audit log with the outcome before and after.
    func override(_ decision: CompletionOverride?, reason: String, of trainee: User, in ref: DirectoryLookup.CohortRef) async throws {
        let traineeID = try trainee.requireID()
        try await database.transaction { db in
            let existing = try await CompletionOverrideRecord.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == traineeID).first()
            let before = existing.map { CompletionOverride(outcome: $0.outcome, reason: $0.reason) }
            if let decision {
                let record = existing ?? CompletionOverrideRecord()
                record.$cohort.id = ref.id
                record.$trainee.id = traineeID
                record.outcome = decision.outcome
                record.reason = decision.reason
                record.decidedBy = actor.label
                try await record.save(on: db)
            } else {
                try await existing?.delete(on: db)
            }
            try await AuditLog.record(AuditEntry(action: decision == nil ? "completion.override_removed" : "completion.overridden", entityType: "user",
                                                 entityID: traineeID, summary: "\(trainee.email): \(decision?.outcome.rawValue ?? "rules") — \(reason)",
                                                 programmeID: ref.programme.id, cohortID: ref.id, before: before, after: decision), by: actor, on: db)
        }
    }

    func award(_ draft: AwardDraft, to trainee: User, in ref: DirectoryLookup.CohortRef) async throws {
        let award = Award()
        award.$cohort.id = ref.id
        award.$trainee.id = try trainee.requireID()
        award.title = draft.title
        award.awardedOn = draft.awardedOn.iso
        award.recordedBy = actor.label
        try await database.transaction { db in
            try await award.create(on: db)
            try await AuditLog.record(AuditEntry(action: "completion.awarded", entityType: "user", entityID: award.$trainee.id,
                                                 summary: "\(trainee.email): \(draft.title) (\(draft.awardedOn.iso))", programmeID: ref.programme.id, cohortID: ref.id),
                                      by: actor, on: db)
        }
    }

    func withdraw(_ award: Award, in ref: DirectoryLookup.CohortRef) async throws {
        try await database.transaction { db in
            try await award.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "completion.award_withdrawn", entityType: "user", entityID: award.$trainee.id,
                                                 summary: award.title, programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
    }

    struct RunSummary: Sendable {
        let run: CompletionRun
        let counts: [CompletionOutcome: Int]
        /// Trainees whose outcome differs from the run before (all of them on a first run).
        let changes: [CompletionChange<UUID>]
    }

    /// Judges every trainee of the cohort from their hours ledger, departure and override, and
    /// keeps the result as a new run.
    func run(_ ref: DirectoryLookup.CohortRef) async throws -> RunSummary {
        let (version, rules) = try await Self.rules(of: ref.id, on: database)
        let (attendanceVersion, attendanceRules) = try await AttendanceRulesStore.current(of: ref.programme.requireID(), on: database)
        let entries = try await LedgerQueries(database: database, now: now).ledgers(of: ref.cohort, rules: attendanceRules)
        let departures = Dictionary(try await TraineeDeparture.query(on: database).filter(\.$cohort.$id == ref.id).all().map { ($0.$trainee.id, $0) }) { a, _ in a }
        let overrides = Dictionary(try await CompletionOverrideRecord.query(on: database).filter(\.$cohort.$id == ref.id).all().map { ($0.$trainee.id, $0) }) { a, _ in a }
        let previous = try await Self.latestOutcomes(of: ref.id, on: database)
        let run = CompletionRun()
        run.$cohort.id = ref.id
        run.rulesVersion = version
        run.attendanceRulesVersion = attendanceVersion
        run.ranBy = actor.label
        run.ranAt = now
        var results: [CompletionResult] = []
        for entry in entries {
            let l = entry.ledger
            let verdict = CompletionJudge.judge(.init(plannedMinutes: l.total.planned, attendedMinutes: l.total.attended, remainingMinutes: l.remainingMinutes,
                                                      pendingMinutes: l.pendingMinutes, departure: departures[entry.trainee.id]?.departure), by: rules)
            let result = CompletionResult()
            result.$trainee.id = entry.trainee.id
            result.className = entry.trainee.className
            result.computed = verdict.outcome
            result.outcome = overrides[entry.trainee.id]?.outcome ?? verdict.outcome
            result.overrideReason = overrides[entry.trainee.id]?.reason
            result.plannedMinutes = l.total.planned
            result.attendedMinutes = l.total.attended
            result.checksJSON = String(decoding: try JSONEncoder().encode(verdict.checks), as: UTF8.self)
            results.append(result)
        }
        let outcomes = Dictionary(results.map { ($0.$trainee.id, $0.outcome) }) { a, _ in a }
        let counts = Dictionary(grouping: outcomes.values, by: { $0 }).mapValues(\.count)
        // The number is taken inside the transaction; two runs started at once (a double click)
        // cannot both be "run 3": the unique index refuses one, which then takes the next number.
        for attempt in 1...3 {
            do {
                try await record(run, results, counts: counts, version: version, ref)
                break
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                continue
            }
        }
        return RunSummary(run: run, counts: counts,
                          changes: CompletionChange.between(previous, outcomes))
    }

    private func record(_ run: CompletionRun, _ results: [CompletionResult], counts: [CompletionOutcome: Int], version: Int, _ ref: DirectoryLookup.CohortRef) async throws {
        try await database.transaction { db in
            run.number = (try await Self.latestRun(of: ref.id, on: db)?.number ?? 0) + 1
            try await run.create(on: db)
            for result in results {
                result.$run.id = try run.requireID()
                try await result.create(on: db)
            }
            try await AuditLog.record(AuditEntry(action: "completion.run", entityType: "cohort", entityID: ref.id,
                                                 summary: CompletionOutcome.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ") + " (rules v\(version))",
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
    }

    static func latestRun(of cohortID: UUID, on db: any Database) async throws -> CompletionRun? {
        try await CompletionRun.query(on: db).filter(\.$cohort.$id == cohortID).sort(\.$number, .descending).first()
    }

    static func latestOutcomes(of cohortID: UUID, on db: any Database) async throws -> [UUID: CompletionOutcome] {
        guard let run = try await latestRun(of: cohortID, on: db) else { return [:] }
        let results = try await CompletionResult.query(on: db).filter(\.$run.$id == run.requireID()).all()
        return Dictionary(results.map { ($0.$trainee.id, $0.outcome) }) { a, _ in a }
    }
}
