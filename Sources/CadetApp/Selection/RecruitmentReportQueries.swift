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

        // Age bands from birth dates, on the round's closing day, in one pass.
        var ages: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT \(ageBand(round, zone)) AS band, COUNT(*) AS n FROM applications WHERE round_id = \(bind: roundID) AND stage <> 'draft' GROUP BY 1
            """).all() {
            ages[try row.decode(column: "band", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
        }
        for band in AgeBand.allCases where ages[band.rawValue] == nil { ages[band.rawValue] = 0 }
        ages["unknown"] = ages["unknown"] ?? 0

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

    /// An SQL expression naming each application's age band on the round's closing day, or
    /// `unknown` without a birth date.
    static func ageBand(_ round: RecruitmentRound, _ zone: TimeZone) -> SQLQueryString {
        let day = PipelineQueries.referenceDay(round, zone)
        var expression: SQLQueryString = "CASE"
        for band in AgeBand.allCases {
            let bounds = band.birthDates(on: day)
            var condition: SQLQueryString = "birth_date IS NOT NULL"
            if let earliest = bounds.earliest { condition = "\(condition) AND birth_date >= \(bind: earliest.iso)" }
            if let latest = bounds.latest { condition = "\(condition) AND birth_date <= \(bind: latest.iso)" }
            expression = "\(expression) WHEN \(condition) THEN \(bind: band.rawValue)"
        }
        return "\(expression) ELSE 'unknown' END"
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
