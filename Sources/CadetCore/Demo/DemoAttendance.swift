/// The demo's attendance: for each trainee and each training day, a status, drawn so that the
/// cohort reproduces its published completion (155 of 180 in Gwangju's first cohort). Those who
/// complete miss a few days and are sometimes late; those who do not stop coming part-way.
public enum DemoAttendance {
    public struct Plan: Sendable {
        /// Statuses by trainee (in the order given), then by day.
        public let statuses: [[AttendanceStatus]]
        public let completers: Set<Int>
    }

    /// How each demo cohort's attendance turns out.
    public static func completers(forCohort tag: String, trainees: Int) -> Int {
        switch tag {
        case "g1": 155
        // Not published for the second cohort; the demo assumes a little better than the first.
        case "g2": 163
        default: trainees
        }
    }

    public static func plan(trainees: Int, days: Int, completers: Int, seed: UInt64) -> Plan {
        var generator = SeededGenerator(seed: seed)
        let order = (0..<trainees).shuffled(using: &generator)
        let completing = Set(order.prefix(completers))
        let statuses = (0..<trainees).map { trainee -> [AttendanceStatus] in
            if completing.contains(trainee) {
                // Up to 8% of days away (some excused), a late arrival now and then.
                let absences = Int.random(in: 0...(days * 8 / 100), using: &generator)
                let away = Set((0..<days).shuffled(using: &generator).prefix(absences))
                return (0..<days).map { day in
                    if away.contains(day) { return Int.random(in: 0..<4, using: &generator) == 0 ? .excused : .absent }
                    let roll = Int.random(in: 0..<100, using: &generator)
                    return roll < 3 ? .late : roll < 4 ? .earlyLeave : .present
                }
            }
            // Stops coming after between a fifth and two thirds of the course.
            let last = Int.random(in: (days / 5)...(days * 2 / 3), using: &generator)
            return (0..<days).map { day in day < last ? (Int.random(in: 0..<100, using: &generator) < 8 ? .late : .present) : .absent }
        }
        return Plan(statuses: statuses, completers: completing)
    }
}
