/// Where a trainee stood at one session (출결 상태).
public enum AttendanceStatus: String, CaseIterable, Codable, Sendable {
    /// Nobody has marked it yet: unlike absent, it counts neither way.
    case notTaken = "not_taken"
    case present
    case late
    case earlyLeave = "early_leave"
    /// Left during the session and came back (외출).
    case outAndBack = "out_and_back"
    case absent
    /// An approved excused absence (공가): counted as attended.
    case excused

    /// Late, early leave and out-and-back: so many of them make an absence.
    public var isLapse: Bool { self == .late || self == .earlyLeave || self == .outAndBack }

    public var isTaken: Bool { self != .notTaken }
}
