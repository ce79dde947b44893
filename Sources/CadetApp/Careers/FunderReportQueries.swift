import CadetCore
import Fluent
import Foundation
import SQLKit

/// Counts the funder's report from the records: applications, classes, the timetable, the latest
/// completion run, outcomes and their snapshots, hackathons, awards, certificates and the
/// settlement. Each figure is one GROUP BY or COUNT in the database; nothing loads every row.
enum FunderReportQueries {
    static func report(_ programme: Programme, cohorts: [Cohort], zone: TimeZone, on db: any Database) async throws -> FunderReport {
        let home = try await OutcomeService.homeRegion(of: programme.requireID(), on: db)
        var figures: [FunderReport.Cohort] = []
        for cohort in cohorts.sorted(by: { $0.startsOn < $1.startsOn }) {
            figures.append(try await self.cohort(DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID()),
                                                 home: home, zone: zone, on: db))
        }
        return FunderReport(programme: programme.slug, programmeName: programme.name, homeRegion: home, cohorts: figures)
    }

    static func cohort(_ ref: DirectoryLookup.CohortRef, home: Region?, zone: TimeZone, on db: any Database) async throws -> FunderReport.Cohort {
        let sql = db as! any SQLDatabase
        let round = try await RoundService.round(of: ref.id, on: db)
        var recruitment: RecruitmentReport?
        if let round { recruitment = try await RecruitmentReportQueries.report(round: round, zone: zone, on: db) }
        let applicants = FunderReport.Applicants(
            total: recruitment?.applicants ?? 0, byRegion: recruitment?.byRegion ?? [:], home: home, byAgeBand: recruitment?.byAgeBand ?? [:],
            byGender: recruitment?.byGender ?? [:], byMajorField: recruitment?.byMajorField ?? [:], byEducation: recruitment?.byEducation ?? [:],
            byEmploymentStatus: recruitment?.byEmploymentStatus ?? [:])

        var admitted = 0, admittedLocal = 0
        if let round {
            let offered = [ApplicationStage.admitted, .accepted, .enrolled].map(\.rawValue)
            let row = try await sql.raw("""
                SELECT COUNT(*) AS n, SUM(CASE WHEN region = \(bind: home?.rawValue ?? "") THEN 1 ELSE 0 END) AS local
                FROM applications WHERE round_id = \(bind: round.requireID()) AND stage IN (\(binds: offered))
                """).first()
            admitted = try row?.decode(column: "n", as: Int.self) ?? 0
            admittedLocal = (try row?.decode(column: "local", as: Int?.self)) ?? 0
        }
        let trainees = try await ClassMember.query(on: db).filter(\.$cohort.$id == ref.id).count()
        let hours = try await sql.raw("""
            SELECT MAX(total) AS minutes FROM (SELECT SUM(minutes) AS total FROM training_sessions WHERE cohort_id = \(bind: ref.id) GROUP BY class_id) AS per_class
            """).first().flatMap { try $0.decode(column: "minutes", as: Int?.self) } ?? 0

        let run = try await CompletionService.latestRun(of: ref.id, on: db)
        var completers = 0
        var outcomes: [FunderReport.Outcomes] = []
        if let runID = try run?.requireID() {
            completers = try await CompletionResult.query(on: db).filter(\.$run.$id == runID).filter(\.$outcome == .completed).count()
            let current = try await sql.raw("""
                SELECT o.status AS status, o.cirr AS cirr, COUNT(*) AS n FROM graduate_outcomes o
                JOIN completion_results r ON r.trainee_id = o.trainee_id AND r.run_id = \(bind: runID) AND r.outcome = \(bind: CompletionOutcome.completed.rawValue)
                WHERE o.cohort_id = \(bind: ref.id) GROUP BY o.status, o.cirr
                """).all()
            outcomes.append(try tally(current, label: "current", takenOn: nil, completers: completers))
        }
        for snapshot in try await OutcomeSnapshot.query(on: db).filter(\.$cohort.$id == ref.id).sort(\.$takenOn).all() {
            let rows = try await sql.raw("""
                SELECT status, cirr, COUNT(*) AS n FROM outcome_snapshot_entries WHERE snapshot_id = \(bind: snapshot.requireID()) GROUP BY status, cirr
                """).all()
            let total = try rows.map { try $0.decode(column: "n", as: Int.self) }.reduce(0, +)
            outcomes.append(try tally(rows, label: snapshot.point.rawValue, takenOn: snapshot.takenOn, completers: total))
        }

        let settlement = try await SettlementService.report(ref, on: db).0.totals
        return FunderReport.Cohort(
            slug: ref.cohort.slug, name: ref.cohort.name, startsOn: ref.cohort.startsOn, endsOn: ref.cohort.endsOn,
            capacity: round?.capacity ?? ref.cohort.capacity, applicants: applicants, admitted: admitted, admittedLocal: admittedLocal,
            trainees: trainees, hours: hours / 60, completers: completers, outcomes: outcomes,
            hackathons: try await Hackathon.query(on: db).filter(\.$cohort.$id == ref.id).count(),
            awards: try await Award.query(on: db).filter(\.$cohort.$id == ref.id).count(),
            certificates: try await Certificate.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$status == .valid).count(),
            subsidy: FunderReport.Subsidy(invoiced: settlement.invoiced, paid: settlement.paid, refundDue: settlement.refundDue))
    }

    /// Status and CIRR counts from rows of (status, cirr, n). Graduates with no outcome recorded
    /// yet count as not reporting (4B).
    private static func tally(_ rows: [any SQLRow], label: String, takenOn: String?, completers: Int) throws -> FunderReport.Outcomes {
        var byStatus: [String: Int] = [:], byCIRR: [String: Int] = [:]
        for row in rows {
            let n = try row.decode(column: "n", as: Int.self)
            byStatus[try row.decode(column: "status", as: String.self), default: 0] += n
            byCIRR[try row.decode(column: "cirr", as: String.self), default: 0] += n
        }
        let missing = completers - byStatus.values.reduce(0, +)
        if missing > 0 {
            byStatus[OutcomeStatus.notReporting.rawValue, default: 0] += missing
            byCIRR[CIRRCategory.c4B.rawValue, default: 0] += missing
        }
        for status in OutcomeStatus.allCases where byStatus[status.rawValue] == nil { byStatus[status.rawValue] = 0 }
        for category in CIRRCategory.allCases where byCIRR[category.rawValue] == nil { byCIRR[category.rawValue] = 0 }
        return FunderReport.Outcomes(label: label, takenOn: takenOn, completers: completers, byStatus: byStatus, byCIRR: byCIRR)
    }
}
