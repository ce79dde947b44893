import CadetCore
import Fluent
import Foundation
import SQLKit

/// Counts the funder's report from the records: applications, classes, the timetable, the latest
/// completion run, outcomes and their snapshots, team projects, hackathons, awards, certificates and the
/// settlement. Each figure is one GROUP BY or COUNT in the database; nothing loads every row.
enum FunderReportQueries {
    static func report(_ programme: Programme, cohorts: [Cohort], zone: TimeZone, on db: any Database) async throws -> FunderReport {
        let home = try await OutcomeService.homeRegion(of: programme.requireID(), on: db)
        let agreements = try await self.agreements(of: programme.requireID(), on: db)
        // Cohorts are counted side by side: on PostgreSQL each takes a connection of its own (a
        // ten-cohort report went from 610 to 330 ms); SQLite's one connection takes them in turn.
        let ordered = cohorts.sorted { $0.startsOn < $1.startsOn }
        let figures = try await withThrowingTaskGroup(of: (Int, FunderReport.Cohort).self) { group in
            for (index, cohort) in ordered.enumerated() {
                let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID())
                group.addTask { (index, try await self.cohort(ref, home: home, zone: zone, agreements: agreements, on: db)) }
            }
            var figures: [(Int, FunderReport.Cohort)] = []
            for try await figure in group { figures.append(figure) }
            return figures.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return FunderReport(programme: programme.slug, programmeName: programme.name, homeRegion: home, cohorts: figures,
                            partnerCompanies: Set(agreements.map(\.company)).count)
    }

    /// Every hiring agreement of the programme, with its company.
    static func agreements(of programmeID: UUID, on db: any Database) async throws -> [(company: UUID, draft: AgreementDraft)] {
        let companies = try await Company.query(on: db).filter(\.$programme.$id == programmeID).all().compactMap(\.id)
        return try await HiringAgreement.query(on: db).filter(\.$company.$id ~~ companies).all().map { ($0.$company.id, $0.draft) }
    }

    static func cohort(_ ref: DirectoryLookup.CohortRef, home: Region?, zone: TimeZone, agreements: [(company: UUID, draft: AgreementDraft)] = [],
                       on db: any Database) async throws -> FunderReport.Cohort {
        let sql = db as! any SQLDatabase
        let round = try await RoundService.round(of: ref.id, on: db)
        let (applicants, admitted, admittedLocal) = try await self.applicants(round, home: home, zone: zone, on: db)
        let trainees = try await ClassMember.query(on: db).filter(\.$cohort.$id == ref.id).count()
        let hours = try await sql.raw("""
            SELECT CAST(MAX(total) AS BIGINT) AS minutes FROM (SELECT SUM(minutes) AS total FROM training_sessions WHERE cohort_id = \(bind: ref.id) GROUP BY class_id) AS per_class
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

        // The settlement reads every completer; only sponsored rounds have one.
        var subsidy = FunderReport.Subsidy.none
        if let round, try await Sponsorship.query(on: db).filter(\.$round.$id == round.requireID()).count() > 0 {
            let totals = try await SettlementService.report(ref, on: db).0.totals
            subsidy = FunderReport.Subsidy(invoiced: totals.invoiced, paid: totals.paid, refundDue: totals.refundDue)
        }
        return FunderReport.Cohort(
            slug: ref.cohort.slug, name: ref.cohort.name, startsOn: ref.cohort.startsOn, endsOn: ref.cohort.endsOn,
            capacity: round?.capacity ?? ref.cohort.capacity, applicants: applicants, admitted: admitted, admittedLocal: admittedLocal,
            trainees: trainees, hours: hours / 60, completers: completers, outcomes: outcomes,
            projectTeams: try await ProjectProposal.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).count(),
            corporateProjects: try await ProjectProposal.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).filter(\.$kind == .corporate).count(),
            hackathons: try await Hackathon.query(on: db).filter(\.$cohort.$id == ref.id).count(),
            awards: try await Award.query(on: db).filter(\.$cohort.$id == ref.id).count(),
            certificates: try await Certificate.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$status == .valid).count(),
            agreements: Set(agreements.filter { $0.draft.covers(from: CalendarDate(iso: ref.cohort.startsOn)!, to: CalendarDate(iso: ref.cohort.endsOn)!) }.map(\.company)).count,
            subsidy: subsidy)
    }

    /// Who applied, grouped by every breakdown at once (a statement per breakdown made the
    /// report of a ten-cohort programme take two seconds), and how many got an offer, from the
    /// home region among them.
    static func applicants(_ round: RecruitmentRound?, home: Region?, zone: TimeZone, on db: any Database) async throws -> (FunderReport.Applicants, Int, Int) {
        guard let round else {
            return (FunderReport.Applicants(total: 0, byRegion: [:], home: home, byAgeBand: [:], byGender: [:], byMajorField: [:], byEducation: [:],
                                            byEmploymentStatus: [:]), 0, 0)
        }
        let sql = db as! any SQLDatabase
        let roundID = try round.requireID()
        // Both statements are answered from indexes alone (`CreateFunderReportIndex`): the profile
        // columns in index order (no sort), then a range count per age band.
        let rows = try await sql.raw("""
            SELECT stage, region, gender, major_field, education, employment_status, COUNT(*) AS n
            FROM applications WHERE round_id = \(bind: roundID) AND stage <> 'draft'
            GROUP BY stage, region, gender, major_field, education, employment_status
            """).all()
        let offered: Set<String> = [ApplicationStage.admitted.rawValue, ApplicationStage.accepted.rawValue, ApplicationStage.enrolled.rawValue]
        var total = 0, admitted = 0, local = 0
        var counts: [String: [String: Int]] = [:]
        for row in rows {
            let n = try row.decode(column: "n", as: Int.self)
            total += n
            var values: [String: String] = [:]
            for column in ["stage", "region", "gender", "major_field", "education", "employment_status"] {
                let value = (try? row.decode(column: column, as: String?.self)) ?? nil
                values[column] = value ?? "unknown"
                counts[column, default: [:]][value ?? "unknown", default: 0] += n
            }
            if offered.contains(values["stage"]!) {
                admitted += n
                if values["region"] == home?.rawValue { local += n }
            }
        }
        let ages = try await RecruitmentReportQueries.ageBands(round, zone, total: total, on: sql)
        let applicants = FunderReport.Applicants(
            total: total, byRegion: RecruitmentReport.filled(counts["region"] ?? [:], Region.self, unknown: false), home: home, byAgeBand: ages,
            byGender: RecruitmentReport.filled(counts["gender"] ?? [:], Gender.self), byMajorField: RecruitmentReport.filled(counts["major_field"] ?? [:], MajorField.self),
            byEducation: RecruitmentReport.filled(counts["education"] ?? [:], Education.self),
            byEmploymentStatus: RecruitmentReport.filled(counts["employment_status"] ?? [:], EmploymentStatus.self))
        return (applicants, admitted, local)
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
