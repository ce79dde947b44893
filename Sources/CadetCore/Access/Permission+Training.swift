/// Training's permissions: the timetable, attendance, excuses, the ledger.
extension Permission {
    /// Build the curriculum and the timetable, set the rules, close days.
    public static let manageTimetable = Permission("manage_timetable", roles: staff)
    /// Take and correct attendance, show the check-in code in the room.
    public static let takeAttendance = Permission("take_attendance", roles: teaching)
    /// Read every trainee's hours, the at-risk list and the export.
    public static let viewLedger = Permission("view_ledger", roles: teaching)
    /// Approve or refuse excused absences.
    public static let decideExcuses = Permission("decide_excuses", roles: staff)

    public static let training: [Permission] = [.manageTimetable, .takeAttendance, .viewLedger, .decideExcuses]
}
