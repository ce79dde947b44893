import Foundation

/// How attendance is judged, as Korean public training (K-Digital Training practice) judges it:
/// in hours and in days, with one-month unit periods. Configured per programme; each change is
/// a new version, and the ledger says which version it used.
public struct AttendanceRules: Codable, Equatable, Sendable {
    /// Checking in later than this after the start is late (지각).
    public var lateAfterMinutes = 10
    /// Leaving earlier than this before the end is an early leave (조퇴).
    public var earlyLeaveMinutes = 10
    /// A day with less than this share of its hours attended counts as an absent day.
    public var dayAbsentBelow = 0.5
    /// This many lates, early leaves and outings in a unit period count as one absent day.
    public var lapsesPerAbsence = 3
    /// Share of all planned hours a trainee must attend to complete.
    public var completionShare = 0.8
    /// A warning when absent days reach this share of a unit period's training days…
    public var warnUnitAbsence = 0.5
    /// …or exceed this share of all training days (grounds for dismissal).
    public var warnTotalAbsence = 0.2
    /// The monthly training allowance (훈련장려금), in KRW per attended day; nil when the
    /// programme pays none.
    public var allowancePerDay: Int?
    /// The most a unit period's allowance can be.
    public var allowanceMonthlyCap: Int?
    /// The share of a unit period's training days a trainee must attend to be paid for it.
    public var allowanceShare = 0.8
    /// Excused days a trainee may have in one unit period.
    public var excusedDaysPerPeriod = 3
    /// How often the code shown in the room changes; one code back is still accepted.
    public var checkInRotationSeconds = 15
    /// Address ranges (CIDR) check-ins must come from; empty: anywhere.
    public var checkInNetworks: [String] = []

    public init() {}

    public static let standard = AttendanceRules()

    /// Reads the rules form; every number is bounded so no rule can be nonsense.
    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> AttendanceRules {
        var reader = FieldReader(values)
        var rules = AttendanceRules()
        func share(_ field: String, _ fallback: Double) -> Double {
            guard let percent = reader.integer(field, required: false, in: 1...100) else { return fallback }
            return Double(percent) / 100
        }
        rules.lateAfterMinutes = reader.integer("late_after_minutes", in: 0...120) ?? rules.lateAfterMinutes
        rules.earlyLeaveMinutes = reader.integer("early_leave_minutes", in: 0...120) ?? rules.earlyLeaveMinutes
        rules.dayAbsentBelow = share("day_absent_below_percent", rules.dayAbsentBelow)
        rules.lapsesPerAbsence = reader.integer("lapses_per_absence", in: 1...10) ?? rules.lapsesPerAbsence
        rules.completionShare = share("completion_percent", rules.completionShare)
        rules.warnUnitAbsence = share("warn_unit_absence_percent", rules.warnUnitAbsence)
        rules.warnTotalAbsence = share("warn_total_absence_percent", rules.warnTotalAbsence)
        rules.allowancePerDay = reader.integer("allowance_per_day", required: false, in: 0...1_000_000)
        rules.allowanceMonthlyCap = reader.integer("allowance_monthly_cap", required: false, in: 0...10_000_000)
        rules.allowanceShare = share("allowance_percent", rules.allowanceShare)
        rules.excusedDaysPerPeriod = reader.integer("excused_days_per_period", in: 0...31) ?? rules.excusedDaysPerPeriod
        rules.checkInRotationSeconds = reader.integer("check_in_rotation_seconds", in: 5...300) ?? rules.checkInRotationSeconds
        var networks: [String] = []
        for line in (reader.raw("check_in_networks") ?? "").split(whereSeparator: { $0.isNewline || $0 == "," }) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard AddressRange(text) != nil else { reader.add(FieldIssue("check_in_networks", .invalidFormat)); break }
            networks.append(text)
        }
        rules.checkInNetworks = networks
        try reader.check()
        return rules
    }

    /// The form's values for these rules.
    public var values: [String: String] {
        func percent(_ share: Double) -> String { String(Int((share * 100).rounded())) }
        return ["late_after_minutes": String(lateAfterMinutes), "early_leave_minutes": String(earlyLeaveMinutes),
                "day_absent_below_percent": percent(dayAbsentBelow), "lapses_per_absence": String(lapsesPerAbsence),
                "completion_percent": percent(completionShare), "warn_unit_absence_percent": percent(warnUnitAbsence),
                "warn_total_absence_percent": percent(warnTotalAbsence), "allowance_per_day": allowancePerDay.map(String.init) ?? "",
                "allowance_monthly_cap": allowanceMonthlyCap.map(String.init) ?? "", "allowance_percent": percent(allowanceShare),
                "excused_days_per_period": String(excusedDaysPerPeriod), "check_in_rotation_seconds": String(checkInRotationSeconds),
                "check_in_networks": checkInNetworks.joined(separator: "\n")]
    }
}

/// An IPv4 or IPv6 address range in CIDR notation (`10.20.0.0/16`, `2001:db8::/32`), or one address.
public struct AddressRange: Equatable, Sendable {
    let bytes: [UInt8]
    let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let bytes = AddressRange.parse(parts[0]) else { return nil }
        let maximum = bytes.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...maximum).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            self.prefix = maximum
        }
        self.bytes = bytes
    }

    public func contains(_ address: String) -> Bool {
        guard let other = AddressRange.parse(address), other.count == bytes.count else { return false }
        var remaining = prefix
        for (a, b) in zip(bytes, other) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") { return parseIPv6(text) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
