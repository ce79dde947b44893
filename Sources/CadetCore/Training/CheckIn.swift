import Foundation

/// What a self check-in and check-out make of a session, and the rotating window a code
/// shown in the room belongs to.
public enum CheckIn {
    /// Check-in opens this long before a session starts; never earlier (a session of next
    /// week cannot be marked now).
    public static let opensBefore: TimeInterval = 30 * 60

    /// The window a moment falls in, for codes that change every `rotation` seconds.
    public static func window(at date: Date, rotation: Int) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(max(1, rotation))).rounded(.down))
    }

    /// Status and training minutes from the times a trainee checked in and out. Lateness and
    /// leaving early are judged against the rules' allowances; the minutes attended are the
    /// part of the session between the two, less time away, on the session's scale (a
    /// 09:00–18:00 session with an hour's lunch counts 480 minutes, not 540).
    public static func judge(start: Date, end: Date, minutes: Int, checkIn: Date, checkOut: Date, awayMinutes: Int = 0,
                             rules: AttendanceRules) -> (status: AttendanceStatus, attended: Int) {
        let span = max(1, end.timeIntervalSince(start) / 60)
        let from = max(start, checkIn), until = min(end, checkOut)
        let present = max(0, until.timeIntervalSince(from) / 60 - Double(awayMinutes))
        let attended = min(minutes, Int((present * Double(minutes) / span).rounded()))
        let late = checkIn.timeIntervalSince(start) > Double(rules.lateAfterMinutes * 60)
        let early = end.timeIntervalSince(checkOut) > Double(rules.earlyLeaveMinutes * 60)
        let status: AttendanceStatus = late ? .late : early ? .earlyLeave : awayMinutes > 0 ? .outAndBack : .present
        return (status, attended)
    }

    /// The minutes a status counts for when staff mark it without times: a late arrival or an
    /// early leave loses the rules' allowance, an outing an hour.
    public static func defaultMinutes(for status: AttendanceStatus, of minutes: Int, rules: AttendanceRules) -> Int {
        switch status {
        case .present, .excused: minutes
        case .late: max(0, minutes - rules.lateAfterMinutes)
        case .earlyLeave: max(0, minutes - rules.earlyLeaveMinutes)
        case .outAndBack: max(0, minutes - 60)
        case .absent, .notTaken: 0
        }
    }
}
