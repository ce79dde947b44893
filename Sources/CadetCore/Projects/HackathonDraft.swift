import Foundation

/// A hackathon as its organiser's form gives it; the answer key comes as a file beside it.
public struct HackathonDraft: Equatable, Sendable {
    public let title: String
    public let brief: String
    public let metric: LeaderboardMetric
    /// The share of the test rows on the public board, in percent.
    public let publicPercent: Int
    /// Submissions a team may make per day (the academy's calendar day).
    public let dailyCap: Int
    /// Submissions a team may choose for the private board.
    public let finals: Int
    public let deadline: Date

    public init(title: String, brief: String, metric: LeaderboardMetric, publicPercent: Int, dailyCap: Int, finals: Int, deadline: Date) {
        self.title = title
        self.brief = brief
        self.metric = metric
        self.publicPercent = publicPercent
        self.dailyCap = dailyCap
        self.finals = finals
        self.deadline = deadline
    }

    public static let titleLimit = 120
    public static let briefLimit = 4000

    public static func parse(_ values: [String: String], zone: TimeZone) throws(ValidationFailure) -> HackathonDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 3, maxLength: titleLimit)
        let brief = reader.text("brief", required: false, maxLength: briefLimit) ?? ""
        let metric = reader.choice("metric", as: LeaderboardMetric.self)
        let share = reader.integer("public_percent", in: 10...90)
        let cap = reader.integer("daily_cap", in: 1...100)
        let finals = reader.integer("finals", in: 1...5)
        let deadline = reader.raw("deadline").map { Timestamps.parse($0, defaultZone: zone) }
        if deadline == nil { reader.add(FieldIssue("deadline", .required)) } else if deadline! == nil { reader.add(FieldIssue("deadline", .invalidDate)) }
        try reader.check()
        return HackathonDraft(title: title!, brief: brief, metric: metric!, publicPercent: share!, dailyCap: cap!, finals: finals!, deadline: deadline!!)
    }
}

/// A team as staff name it: a name and its members' e-mail addresses, one per line.
public struct TeamDraft: Equatable, Sendable {
    public let name: String
    public let emails: [String]

    public init(name: String, emails: [String]) {
        self.name = name
        self.emails = emails
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> TeamDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", maxLength: 80)
        let raw = reader.text("members", maxLength: 4000)
        var emails: [String] = []
        for part in (raw ?? "").split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" }) where !emails.contains(part.lowercased()) {
            emails.append(part.lowercased())
        }
        if raw != nil, emails.count > 12 { reader.add(FieldIssue("members", .outOfRange(minimum: 1, maximum: 12))) }
        try reader.check()
        return TeamDraft(name: name!, emails: emails)
    }
}
