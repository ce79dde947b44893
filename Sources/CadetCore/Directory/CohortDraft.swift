/// A cohort (기수) as staff define it: when it runs, how many it takes, how many hours it teaches.
public struct CohortDraft: Equatable, Sendable {
    public static let nameLimit = 120
    public static let capacityRange = 1...10_000
    public static let targetHoursRange = 1...5_000

    public var slug: String
    public var name: String
    public var capacity: Int
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var targetHours: Int?

    public init(slug: String, name: String, capacity: Int, startsOn: CalendarDate, endsOn: CalendarDate, targetHours: Int? = nil) {
        self.slug = slug
        self.name = name
        self.capacity = capacity
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.targetHours = targetHours
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> CohortDraft {
        var reader = FieldReader(values)
        let slug = reader.slug("slug")
        let name = reader.text("name", maxLength: nameLimit)
        let capacity = reader.integer("capacity", in: capacityRange)
        let starts = reader.date("starts_on")
        let ends = reader.date("ends_on")
        let hours = reader.integer("target_hours", required: false, in: targetHoursRange)
        if let starts, let ends, ends < starts {
            reader.add(FieldIssue("ends_on", .mustNotPrecede(field: "starts_on")))
        }
        try reader.check()
        return CohortDraft(slug: slug!, name: name!, capacity: capacity!, startsOn: starts!, endsOn: ends!, targetHours: hours)
    }

    /// Weekday hours the period can hold at 8 hours a day: a sanity check for the target.
    public var weekdayHoursAvailable: Int {
        startsOn.weekdays(through: endsOn) * 8
    }
}
