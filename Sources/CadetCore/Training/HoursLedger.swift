/// A trainee's standing in hours and days: what was planned, delivered and attended, by course
/// and phase; days absent, with lapses turned into absences; one-month unit periods with their
/// allowance; warnings; and how many more hours they can miss and still complete.
public struct HoursLedger: Sendable, Equatable {
    public struct Session: Sendable {
        public let date: CalendarDate
        public let minutes: Int
        public let course: String
        public let phase: String
        /// The session is over: its mark counts.
        public let ended: Bool

        public init(date: CalendarDate, minutes: Int, course: String, phase: String, ended: Bool) {
            self.date = date
            self.minutes = minutes
            self.course = course
            self.phase = phase
            self.ended = ended
        }
    }

    public struct Mark: Sendable {
        public let status: AttendanceStatus
        public let attendedMinutes: Int

        public init(status: AttendanceStatus, attendedMinutes: Int) {
            self.status = status
            self.attendedMinutes = attendedMinutes
        }

        /// Minutes this mark counts as attended: an excused absence counts in full.
        func counted(of minutes: Int) -> Int {
            switch status {
            case .excused: minutes
            case .notTaken, .absent: 0
            default: min(minutes, max(0, attendedMinutes))
            }
        }
    }

    public struct Tally: Sendable, Equatable {
        public var planned = 0
        public var delivered = 0
        /// Delivered and marked (a session nobody marked yet is pending, not absent).
        public var recorded = 0
        public var attended = 0

        public var rate: Double? { recorded > 0 ? Double(attended) / Double(recorded) : nil }
    }

    public struct Period: Sendable, Equatable {
        public let index: Int
        public let start: CalendarDate
        public let end: CalendarDate
        public var plannedDays = 0
        public var recordedDays = 0
        public var absentDays = 0
        public var excusedDays = 0
        public var lapses = 0
        /// Absent days, lapses turned into absences included.
        public var absences: Int { absentDays + convertedAbsences }
        public var convertedAbsences = 0
        /// KRW for this period, when the programme pays an allowance.
        public var allowance: Int?
    }

    public enum Warning: Hashable, Sendable, Comparable {
        /// Absent on half (by default) of a unit period's training days.
        case unitAbsence(period: Int)
        /// Absent on more than a fifth (by default) of all training days: grounds for dismissal.
        case totalAbsence
        /// Can no longer reach the completion threshold.
        case cannotComplete
        /// Two training days (16 hours) or less from missing it.
        case closeToLimit

        public var key: String {
            switch self {
            case .unitAbsence(let period): "unit_absence:\(period)"
            case .totalAbsence: "total_absence"
            case .cannotComplete: "cannot_complete"
            case .closeToLimit: "close_to_limit"
            }
        }
    }

    public static let closeMinutes = 16 * 60

    public var total = Tally()
    public var byCourse: [String: Tally] = [:]
    public var byPhase: [String: Tally] = [:]
    public var plannedDays = 0
    public var recordedDays = 0
    public var absentDays = 0
    public var excusedDays = 0
    public var lapses = 0
    public var convertedAbsences = 0
    public var periods: [Period] = []
    /// Minutes planned but not delivered yet, and delivered but not marked yet.
    public var remainingMinutes = 0
    public var pendingMinutes = 0
    /// The least a trainee must attend to complete.
    public var requiredMinutes = 0
    /// How many more minutes they can miss and still complete (negative: they cannot).
    public var missableMinutes = 0
    public var warnings: Set<Warning> = []

    public var absences: Int { absentDays + convertedAbsences }
    /// Everything is delivered and marked, and the attended minutes reach the threshold.
    public var completed: Bool { remainingMinutes == 0 && pendingMinutes == 0 && total.attended >= requiredMinutes }

    public init(sessions: [Session], marks: [Mark?], rules: AttendanceRules, startsOn: CalendarDate) {
        precondition(sessions.count == marks.count, "one mark (or nil) per session")
        var days: [CalendarDate: (planned: Int, recorded: Int, attended: Int, allExcused: Bool, ended: Bool)] = [:]
        var periodLapses: [Int: Int] = [:]
        for (session, mark) in zip(sessions, marks) {
            let taken = mark?.status.isTaken == true
            let counted = session.ended && taken ? mark!.counted(of: session.minutes) : 0
            for key in [nil, session.course, session.phase] as [String?] {
                var tally = key == nil ? total : key == session.course ? byCourse[session.course, default: Tally()] : byPhase[session.phase, default: Tally()]
                tally.planned += session.minutes
                if session.ended { tally.delivered += session.minutes }
                if session.ended && taken { tally.recorded += session.minutes; tally.attended += counted }
                if key == nil { total = tally } else if key == session.course { byCourse[session.course] = tally } else { byPhase[session.phase] = tally }
            }
            if !session.ended { remainingMinutes += session.minutes } else if !taken { pendingMinutes += session.minutes }
            var day = days[session.date] ?? (0, 0, 0, true, true)
            day.planned += session.minutes
            day.ended = day.ended && session.ended
            if session.ended && taken {
                day.recorded += session.minutes
                day.attended += counted
                day.allExcused = day.allExcused && mark!.status == .excused
                if mark!.status.isLapse {
                    lapses += 1
                    periodLapses[Self.period(of: session.date, from: startsOn), default: 0] += 1
                }
            }
            days[session.date] = day
        }

        let last = days.keys.max() ?? startsOn
        var index = 0
        while startsOn.adding(months: index) <= last {
            periods.append(Period(index: index, start: startsOn.adding(months: index), end: startsOn.adding(months: index + 1).adding(days: -1)))
            index += 1
        }
        for (date, day) in days {
            plannedDays += 1
            let p = Self.period(of: date, from: startsOn)
            if p >= 0, p < periods.count { periods[p].plannedDays += 1 }
            // A day counts once it is over and someone marked it.
            guard day.ended, day.recorded > 0 else { continue }
            recordedDays += 1
            if p >= 0, p < periods.count { periods[p].recordedDays += 1 }
            if day.allExcused {
                excusedDays += 1
                if p >= 0, p < periods.count { periods[p].excusedDays += 1 }
            } else if Double(day.attended) < rules.dayAbsentBelow * Double(day.recorded) {
                absentDays += 1
                if p >= 0, p < periods.count { periods[p].absentDays += 1 }
            }
        }
        for i in periods.indices {
            periods[i].lapses = periodLapses[i] ?? 0
            periods[i].convertedAbsences = periods[i].lapses / max(1, rules.lapsesPerAbsence)
            convertedAbsences += periods[i].convertedAbsences
            if let perDay = rules.allowancePerDay, periods[i].recordedDays > 0 {
                let attendedDays = max(0, periods[i].recordedDays - periods[i].absences)
                let qualifies = Double(attendedDays) >= rules.allowanceShare * Double(periods[i].recordedDays)
                periods[i].allowance = qualifies ? min(perDay * attendedDays, rules.allowanceMonthlyCap ?? .max) : 0
            }
            if periods[i].absences > 0, Double(periods[i].absences) >= rules.warnUnitAbsence * Double(periods[i].plannedDays) {
                warnings.insert(.unitAbsence(period: i))
            }
        }
        requiredMinutes = Int((rules.completionShare * Double(total.planned)).rounded(.up))
        missableMinutes = total.attended + pendingMinutes + remainingMinutes - requiredMinutes
        if Double(absences) > rules.warnTotalAbsence * Double(plannedDays) { warnings.insert(.totalAbsence) }
        if missableMinutes < 0 { warnings.insert(.cannotComplete) } else if missableMinutes <= Self.closeMinutes, remainingMinutes > 0 { warnings.insert(.closeToLimit) }
    }

    /// The unit period a day falls in: periods are one month each from the start date.
    public static func period(of date: CalendarDate, from start: CalendarDate) -> Int {
        guard date >= start else { return -1 }
        var months = (date.year - start.year) * 12 + (date.month - start.month)
        if start.adding(months: months) > date { months -= 1 }
        return months
    }

    public var allowanceTotal: Int? {
        let amounts = periods.compactMap(\.allowance)
        return amounts.isEmpty ? nil : amounts.reduce(0, +)
    }
}
