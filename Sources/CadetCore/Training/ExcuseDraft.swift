/// A trainee's request for an excused absence (공가): which days, and why.
public struct ExcuseDraft: Equatable, Sendable {
    public static let longest = 31

    public var firstDay: CalendarDate
    public var lastDay: CalendarDate
    public var reason: String

    public init(firstDay: CalendarDate, lastDay: CalendarDate, reason: String) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.reason = reason
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> ExcuseDraft {
        var reader = FieldReader(values)
        let first = reader.date("first_day"), last = reader.date("last_day")
        let reason = reader.text("reason", maxLength: 1_000)
        if let first, let last {
            if last < first { reader.add(FieldIssue("last_day", .mustNotPrecede(field: "first_day"))) }
            else if first.days(until: last) >= longest { reader.add(FieldIssue("last_day", .outOfRange(minimum: 1, maximum: longest))) }
        }
        try reader.check()
        return ExcuseDraft(firstDay: first!, lastDay: last!, reason: reason!)
    }
}
