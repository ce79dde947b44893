import CadetCore
import Crypto
import Fluent
import Foundation
import SQLKit

/// `cadet import applications` and the staff page's import: all or nothing, every problem
/// named by line and column, and fast enough for 10,000 rows (multi-row inserts, one transaction).
struct ApplicationsImporter {
    let database: any Database
    let actor: Actor
    let timeZone: TimeZone

    enum Outcome: Sendable {
        case imported(Int)
        case problems([ImportProblem])
    }

    func run(_ bytes: [UInt8], round: RecruitmentRound, cohort: Cohort, progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws -> Outcome {
        let roundID = try round.requireID()
        let questionKeys = Set(try await RoundService.questions(of: roundID, on: database).map(\.key))
        let rows: [ApplicationRow]
        switch ApplicationImport(questionKeys: questionKeys, timeZone: timeZone).read(bytes, progress: { progress("checking", $0, $1) }) {
        case .problems(let problems): return .problems(problems)
        case .rows(let read): rows = read
        }
        let sql = database as! any SQLDatabase
        let existing = Set(try await sql.select().column("email").from(Applicant.schema).where("round_id", .equal, roundID).all()
            .map { try $0.decode(column: "email", as: String.self) })
        let sponsors = Dictionary(try await Sponsorship.query(on: database).filter(\.$round.$id == roundID).all().map { ($0.company, $0.id!) },
                                  uniquingKeysWith: { a, _ in a })
        var problems: [ImportProblem] = []
        for row in rows {
            if existing.contains(row.email) { problems.append(ImportProblem(line: row.line, column: "email", .alreadyApplied)) }
            if let company = row.sponsorCompany, sponsors[company] == nil {
                problems.append(ImportProblem(line: row.line, column: "sponsor_company", .noSponsorship(company: company)))
            }
        }
        guard problems.isEmpty else { return .problems(problems) }

        let first = try await ApplicationService.nextNumber(in: roundID, on: database)
        let cohortID = try cohort.requireID()
        let now = Date()
        let batch = 400
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            for start in stride(from: 0, to: rows.count, by: batch) {
                let slice = rows[start..<min(start + batch, rows.count)]
                var insert = sql.insert(into: Applicant.schema).columns(Self.columns)
                for (offset, row) in slice.enumerated() {
                    insert = insert.values(Self.values(row, number: first + start + offset, roundID: roundID, cohortID: cohortID,
                                                       sponsorship: row.sponsorCompany.flatMap { sponsors[$0] }, now: now))
                }
                try await insert.run()
                progress("saving", min(start + batch, rows.count), rows.count)
            }
            let digest = SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
            try await AuditLog.record(AuditEntry(action: "applications.imported", entityType: "round", entityID: roundID,
                                                 summary: "\(rows.count) applications (file sha256 \(digest.prefix(16)))",
                                                 programmeID: cohort.$programme.id, cohortID: cohortID), by: actor, on: db)
        }
        return .imported(rows.count)
    }

    static let columns = ["id", "round_id", "cohort_id", "number", "name", "email", "phone", "birth_date", "region", "gender", "education",
                          "major_field", "employment_status", "sponsorship_id", "stage", "submitted_at", "answers_json", "document_score",
                          "test_score", "interview_score", "created_at", "updated_at"]

    static func values(_ row: ApplicationRow, number: Int, roundID: UUID, cohortID: UUID, sponsorship: UUID?, now: Date) -> [any Encodable & Sendable] {
        let answers = String(decoding: (try? JSONEncoder().encode(row.answers)) ?? Data("{}".utf8), as: UTF8.self)
        return [UUID(), roundID, cohortID, number, row.name, row.email, row.phone, row.birthDate.iso, row.region.rawValue,
                row.gender?.rawValue, row.education?.rawValue, row.majorField?.rawValue, row.employmentStatus?.rawValue, sponsorship,
                row.stage.rawValue, row.submittedAt, answers, row.documentScore, row.testScore, row.interviewScore, now, now]
    }
}
