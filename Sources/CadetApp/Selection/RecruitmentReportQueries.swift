import CadetCore
import Fluent
import Foundation
import SQLKit

/// The recruitment report, counted by the database with GROUP BY: nothing loads every row.
enum RecruitmentReportQueries {
    static func report(round: RecruitmentRound, zone: TimeZone, on db: any Database) async throws -> RecruitmentReport {
        let sql = db as! any SQLDatabase
        let roundID = try round.requireID()

        func counts(_ column: String) async throws -> [String: Int] {
            let rows = try await sql.raw("""
                SELECT \(ident: column) AS value, COUNT(*) AS n FROM applications
                WHERE round_id = \(bind: roundID) AND stage <> 'draft' GROUP BY \(ident: column)
                """).all()
            var result: [String: Int] = [:]
            for row in rows {
                let value = (try? row.decodeNil(column: "value")) == true ? "unknown" : ((try? row.decode(column: "value", as: String.self)) ?? "unknown")
                result[value, default: 0] += try row.decode(column: "n", as: Int.self)
            }
            return result
        }

        let stages = try await counts("stage")
        let applicants = stages.values.reduce(0, +)
        let regions = try await counts("region")
        let byRegion = RecruitmentReport.filled(regions, Region.self, unknown: false)
        let capital = Region.allCases.filter(\.isCapitalArea).map { regions[$0.rawValue] ?? 0 }.reduce(0, +)

        let ages = try await ageBands(round, zone, total: applicants, on: sql)

        return RecruitmentReport(
            capacity: round.capacity,
            applicants: applicants,
            competitionRatio: RecruitmentReport.ratio(applicants: applicants, capacity: round.capacity),
            byRegion: byRegion,
            capitalArea: capital,
            byGender: RecruitmentReport.filled(try await counts("gender"), Gender.self),
            byAgeBand: ages,
            byMajorField: RecruitmentReport.filled(try await counts("major_field"), MajorField.self),
            byEducation: RecruitmentReport.filled(try await counts("education"), Education.self),
            byEmploymentStatus: RecruitmentReport.filled(try await counts("employment_status"), EmploymentStatus.self),
            funnel: RecruitmentReport.filled(stages, ApplicationStage.self, unknown: false).filter { $0.key != ApplicationStage.draft.rawValue },
            applicationsPerDay: try await perDay(roundID: roundID, zone: zone, sql: sql)
        )
    }

    /// Applications per age band on the round's closing day, and `unknown` (no birth date, or
    /// one outside every band) for the rest of `total`: one statement of a range count per band,
    /// each answered from the index on (round, birth date, stage).
    static func ageBands(_ round: RecruitmentRound, _ zone: TimeZone, total: Int, on sql: any SQLDatabase) async throws -> [String: Int] {
        let day = PipelineQueries.referenceDay(round, zone)
        let roundID = try round.requireID()
        var select: SQLQueryString = "SELECT "
        for (index, band) in AgeBand.allCases.enumerated() {
            let bounds = band.birthDates(on: day)
            var condition: SQLQueryString = "round_id = \(bind: roundID) AND birth_date IS NOT NULL AND stage <> 'draft'"
            if let earliest = bounds.earliest { condition = "\(condition) AND birth_date >= \(bind: earliest.iso)" }
            if let latest = bounds.latest { condition = "\(condition) AND birth_date <= \(bind: latest.iso)" }
            select = "\(select)\(index == 0 ? "" : ", ")(SELECT COUNT(*) FROM applications WHERE \(condition)) AS \(ident: "band_" + band.rawValue)"
        }
        let row = try await sql.raw(select).first()
        var ages: [String: Int] = [:]
        for band in AgeBand.allCases { ages[band.rawValue] = (try? row?.decode(column: "band_" + band.rawValue, as: Int.self)) ?? 0 }
        ages["unknown"] = total - ages.values.reduce(0, +)
        return ages
    }

    /// Submissions per calendar day in the academy's time zone.
    static func perDay(roundID: UUID, zone: TimeZone, sql: any SQLDatabase) async throws -> [String: Int] {
        let day: SQLQueryString = sql.dialect.name == "postgresql"
            ? "to_char(submitted_at AT TIME ZONE \(bind: zone.identifier), 'YYYY-MM-DD')"
            // SQLite keeps times as seconds since 1970; the zone's offset turns them into local days.
            : "date(submitted_at + \(bind: zone.secondsFromGMT()), 'unixepoch')"
        let rows = try await sql.raw("""
            SELECT \(day) AS day, COUNT(*) AS n FROM applications
            WHERE round_id = \(bind: roundID) AND stage <> 'draft' AND submitted_at IS NOT NULL GROUP BY 1
            """).all()
        var result: [String: Int] = [:]
        for row in rows {
            if let key = try? row.decode(column: "day", as: String.self) { result[key] = try row.decode(column: "n", as: Int.self) }
        }
        return result
    }
}
