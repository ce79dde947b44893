import CadetCore
import Fluent
import Foundation

/// The pipeline's search, filters, sort and pages, done by the database so that 10,000
/// applicants stay quick.
struct PipelineFilter: Encodable, Sendable {
    var query = ""
    var stage = ""
    var region = ""
    var majorField = ""
    var ageBand = ""
    var minScore = ""
    var maxScore = ""
    var sort = "number"
    var page = 1

    static let sorts = ["number", "submitted", "name", "score", "region"]
    static let pageSize = 50

    init() {}

    init(_ query: [String: String]) {
        self.query = TextSafety.hasControlCharacters(query["q"] ?? "") ? "" : String((query["q"] ?? "").prefix(100))
        stage = ApplicationStage(rawValue: query["stage"] ?? "")?.rawValue ?? ""
        region = Region(rawValue: query["region"] ?? "")?.rawValue ?? ""
        majorField = MajorField(rawValue: query["major_field"] ?? "")?.rawValue ?? ""
        ageBand = AgeBand(rawValue: query["age_band"] ?? "")?.rawValue ?? ""
        minScore = Self.score(query["min_score"])
        maxScore = Self.score(query["max_score"])
        sort = Self.sorts.contains(query["sort"] ?? "") ? query["sort"]! : "number"
        page = PageNumber(query["page"]).value
    }

    /// A score bound from a query string: finite numbers only ("nan" and "inf" read as none).
    private static func score(_ raw: String?) -> String {
        guard let raw, raw.utf8.count <= 24, let value = Double(raw), value.isFinite else { return "" }
        return String(value)
    }

    /// The same filter as query items, for links and the export.
    func items(page: Int? = nil) -> String {
        var components = URLComponents()
        components.queryItems = [("q", query), ("stage", stage), ("region", region), ("major_field", majorField), ("age_band", ageBand),
                                 ("min_score", minScore), ("max_score", maxScore), ("sort", sort), ("page", page.map(String.init) ?? "")]
            .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery ?? ""
    }

    func apply(to query: QueryBuilder<Applicant>, on day: CalendarDate) -> QueryBuilder<Applicant> {
        var q = query.filter(\.$stage != .draft)
        if let stage = ApplicationStage(rawValue: stage) { q = q.filter(\.$stage == stage) }
        if !region.isEmpty { q = q.filter(\.$region == region) }
        if !majorField.isEmpty { q = q.filter(\.$majorField == majorField) }
        if let band = AgeBand(rawValue: ageBand) {
            let bounds = band.birthDates(on: day)
            if let earliest = bounds.earliest { q = q.filter(\.$birthDate >= earliest.iso) }
            if let latest = bounds.latest { q = q.filter(\.$birthDate <= latest.iso) }
        }
        if let min = Double(minScore) { q = q.filter(\.$finalScore >= min) }
        if let max = Double(maxScore) { q = q.filter(\.$finalScore <= max) }
        let text = self.query.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            if let number = Int(text) {
                q = q.filter(\.$number == number)
            } else {
                q = q.group(.or) { $0.filter(\.$name ~~ text).filter(\.$email ~~ text.lowercased()) }
            }
        }
        switch sort {
        case "submitted": q = q.sort(\.$submittedAt, .descending)
        case "name": q = q.sort(\.$name)
        case "score": q = q.sort(\.$finalScore, .descending)
        case "region": q = q.sort(\.$region)
        default: break
        }
        return q.sort(\.$number)
    }
}

enum PipelineQueries {
    struct Page {
        let applicants: [Applicant]
        let total: Int
    }

    /// Age bands are counted on the round's closing day.
    static func referenceDay(_ round: RecruitmentRound, _ zone: TimeZone) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: round.closesAt)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    static func page(_ filter: PipelineFilter, round: RecruitmentRound, zone: TimeZone, on db: any Database) async throws -> Page {
        let day = referenceDay(round, zone)
        let base = filter.apply(to: Applicant.query(on: db).filter(\.$round.$id == round.id!), on: day)
        let total = try await filter.apply(to: Applicant.query(on: db).filter(\.$round.$id == round.id!), on: day).count()
        let rows = try await base.range((filter.page - 1) * PipelineFilter.pageSize..<(filter.page * PipelineFilter.pageSize)).all()
        return Page(applicants: rows, total: total)
    }

    static func all(_ filter: PipelineFilter, round: RecruitmentRound, zone: TimeZone, on db: any Database) async throws -> [Applicant] {
        try await filter.apply(to: Applicant.query(on: db).filter(\.$round.$id == round.id!), on: referenceDay(round, zone)).all()
    }
}

/// The export: the import's columns and what selection added, with a byte-order mark so that
/// spreadsheet programs show Korean.
enum ApplicationsExport {
    static let header = ["number", "name", "email", "phone", "birth_date", "region", "gender", "education", "major_field", "employment_status",
                         "submitted_at", "status", "document_score", "test_score", "interview_score", "final_score", "rank", "waitlist_position"]

    static func table(_ applicants: [Applicant], questions: [QuestionDraft], zone: TimeZone) -> (header: [String], rows: [[String]]) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        func number(_ value: Double?) -> String { value.map { String(format: "%g", $0) } ?? "" }
        let rows = applicants.map { a -> [String] in
            let answers = a.answers
            let person: [String] = [String(a.number ?? 0), a.name, a.email, a.phone ?? "", a.birthDate ?? "", a.region ?? "", a.gender ?? "",
                                    a.education ?? "", a.majorField ?? "", a.employmentStatus ?? ""]
            let scores: [String] = [a.submittedAt.map(formatter.string) ?? "", a.stage.rawValue, number(a.documentScore), number(a.testScore),
                                    number(a.interviewScore), number(a.finalScore), a.rank.map(String.init) ?? "", a.waitlistPosition.map(String.init) ?? ""]
            return person + scores + questions.map { answers[$0.key] ?? "" }
        }
        return (header + questions.map { "q:\($0.key)" }, rows)
    }
}
