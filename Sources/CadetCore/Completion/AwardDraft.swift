/// An award as staff enter it: what it is and when it was given.
public struct AwardDraft: Equatable, Sendable {
    public let title: String
    public let awardedOn: CalendarDate

    public init(title: String, awardedOn: CalendarDate) {
        self.title = title
        self.awardedOn = awardedOn
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> AwardDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 2, maxLength: 120)
        let day = reader.date("awarded_on")
        try reader.check()
        return AwardDraft(title: title!, awardedOn: day!)
    }
}
