import Foundation

/// When a taker may start, until when they may answer, and how long saves are still taken after.
/// The server's clock is the only clock that counts.
public struct ExamTiming: Equatable, Sendable, Codable {
    public var windowStart: Date
    public var windowEnd: Date
    /// Minutes from starting to the deadline.
    public var durationMinutes: Int
    /// How long after the window opens one may still start, in minutes.
    public var lateStartMinutes: Int
    /// Saves sent a little after the deadline still count: a slow network is not the taker's fault.
    public var graceSeconds: Int

    public init(windowStart: Date, windowEnd: Date, durationMinutes: Int, lateStartMinutes: Int, graceSeconds: Int = 30) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.durationMinutes = durationMinutes
        self.lateStartMinutes = lateStartMinutes
        self.graceSeconds = graceSeconds
    }

    public enum StartRefusal: Equatable, Sendable {
        case notYet(opensAt: Date)
        case tooLate(lastStart: Date)
    }

    public var lastStart: Date { windowStart.addingTimeInterval(TimeInterval(lateStartMinutes * 60)) }

    public func startRefusal(at now: Date) -> StartRefusal? {
        if now < windowStart { return .notYet(opensAt: windowStart) }
        if now > lastStart { return .tooLate(lastStart: lastStart) }
        return nil
    }

    /// The attempt's deadline: its own duration, but never past the window's end; extra time
    /// (an accommodation) extends both.
    public func deadline(startedAt: Date, extraMinutes: Int) -> Date {
        let extra = TimeInterval(extraMinutes * 60)
        return min(startedAt.addingTimeInterval(TimeInterval(durationMinutes * 60)), windowEnd).addingTimeInterval(extra)
    }

    public func acceptsSave(at now: Date, deadline: Date) -> Bool {
        now <= deadline.addingTimeInterval(TimeInterval(graceSeconds))
    }

    /// Checks the settings staff type in, naming each bad one.
    public static func parse(_ values: [String: String], zone: TimeZone) throws(ValidationFailure) -> ExamTiming {
        var reader = FieldReader(values)
        func time(_ field: String) -> Date? {
            guard let raw = reader.raw(field) else { reader.add(FieldIssue(field, .required)); return nil }
            guard let date = Timestamps.parse(raw, defaultZone: zone) else { reader.add(FieldIssue(field, .invalidDate)); return nil }
            return date
        }
        let start = time("window_start"), end = time("window_end")
        if let start, let end, end <= start { reader.add(FieldIssue("window_end", .mustNotPrecede(field: "window_start"))) }
        let duration = reader.integer("duration_minutes", in: 1...600)
        let late = reader.integer("late_start_minutes", in: 0...600)
        let grace = reader.integer("grace_seconds", required: false, in: 0...600)
        try reader.check()
        return ExamTiming(windowStart: start!, windowEnd: end!, durationMinutes: duration!, lateStartMinutes: late!, graceSeconds: grace ?? 30)
    }
}
