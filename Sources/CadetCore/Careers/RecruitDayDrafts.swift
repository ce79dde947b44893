/// A recruit day as staff enter it.
public struct RecruitDayDraft: Equatable, Sendable {
    public let title: String
    public let day: CalendarDate
    public let place: String

    public init(title: String, day: CalendarDate, place: String) {
        self.title = title
        self.day = day
        self.place = place
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> RecruitDayDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 2, maxLength: 120)
        let day = reader.date("day")
        let place = reader.text("place", maxLength: 200)
        try reader.check()
        return RecruitDayDraft(title: title!, day: day!, place: place!)
    }
}

/// A company's interview slots on a recruit day: from a time to a time, in slots of a length.
public struct SlotsDraft: Equatable, Sendable {
    /// Minutes after midnight each slot starts at.
    public let starts: [Int]
    public let length: Int

    public init(starts: [Int], length: Int) {
        self.starts = starts
        self.length = length
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> SlotsDraft {
        var reader = FieldReader(values)
        func minutes(_ field: String) -> Int? {
            guard let text = reader.raw(field) else { reader.add(FieldIssue(field, .required)); return nil }
            let parts = text.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                reader.add(FieldIssue(field, .invalidFormat))
                return nil
            }
            return h * 60 + m
        }
        let from = minutes("from"), to = minutes("to")
        let length = reader.integer("length", in: 5...240)
        if let from, let to, to <= from { reader.add(FieldIssue("to", .mustNotPrecede(field: "from"))) }
        try reader.check()
        let starts = Array(stride(from: from!, through: to! - length!, by: length!))
        if starts.isEmpty || starts.count > 96 { reader.add(FieldIssue("length", .outOfRange(minimum: 5, maximum: to! - from!))) }
        try reader.check()
        return SlotsDraft(starts: starts, length: length!)
    }
}
