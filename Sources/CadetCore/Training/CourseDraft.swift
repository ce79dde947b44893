/// A course of a cohort's curriculum as staff enter it.
public struct CourseDraft: Equatable, Sendable {
    public var name: String
    public var plannedHours: Int
    /// The phase's id as the form sends it, if the course belongs to one.
    public var phase: String?

    public init(name: String, plannedHours: Int, phase: String?) {
        self.name = name
        self.plannedHours = plannedHours
        self.phase = phase
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> CourseDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", maxLength: 120)
        let hours = reader.integer("planned_hours", in: 1...2_000)
        let phase = reader.raw("phase")
        try reader.check()
        return CourseDraft(name: name!, plannedHours: hours!, phase: phase)
    }
}

/// Sessions to generate for a class: a weekly pattern over a range, a room or an online link.
public struct TimetableDraft: Equatable, Sendable {
    public var pattern: WeeklyPattern
    public var room: String?
    public var onlineLink: String?

    public init(pattern: WeeklyPattern, room: String?, onlineLink: String?) {
        self.pattern = pattern
        self.room = room
        self.onlineLink = onlineLink
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> TimetableDraft {
        var failure: [FieldIssue] = []
        var pattern: WeeklyPattern?
        do { pattern = try WeeklyPattern.parse(values) } catch { failure = error.issues }
        var reader = FieldReader(values)
        let room = reader.text("room", required: false, maxLength: 80)
        let link = reader.text("online_link", required: false, maxLength: 300)
        if let link, !(link.hasPrefix("https://") || link.hasPrefix("http://")) { reader.add(FieldIssue("online_link", .invalidFormat)) }
        let issues = failure + reader.issues
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return TimetableDraft(pattern: pattern!, room: room, onlineLink: link)
    }
}
