/// One phase of a cohort's curriculum (pre-course, core courses, projects) with its hours.
public struct PhaseDraft: Equatable, Sendable {
    public static let nameLimit = 120
    public static let hoursRange = 1...5_000

    public var name: String
    public var hours: Int

    public init(name: String, hours: Int) {
        self.name = name
        self.hours = hours
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> PhaseDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", maxLength: nameLimit)
        let hours = reader.integer("hours", in: hoursRange)
        try reader.check()
        return PhaseDraft(name: name!, hours: hours!)
    }
}

/// How a cohort's phases add up against its target hours, for the staff page.
public struct CurriculumBalance: Equatable, Sendable {
    public let plannedHours: Int
    public let targetHours: Int?

    public init(phaseHours: [Int], targetHours: Int?) {
        self.plannedHours = phaseHours.reduce(0, +)
        self.targetHours = targetHours
    }

    /// Positive when the phases plan more than the target, negative when fewer.
    public var difference: Int? {
        targetHours.map { plannedHours - $0 }
    }

    public var isBalanced: Bool { difference == 0 }
}
