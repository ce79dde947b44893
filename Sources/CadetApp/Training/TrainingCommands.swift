import ArgumentParser
import CadetCore
import Fluent
import Foundation
import Vapor

/// `cadet session add`: one session on a given day, as staff schedule a make-up day (보강),
/// even on a holiday; audited like the timetable page.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "Add one-off training sessions.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add one session for a class (a make-up day, say).")

        @Option(help: "The cohort, as programme/cohort.") var cohort: String
        @Option(help: "The class's name (e.g. 1반).") var `class`: String
        @Option(help: "The course's name, or the start of it.") var course: String
        @Option(help: "YYYY-MM-DD (default: today in the academy's time zone).") var day: String?
        @Option(help: "HH:MM.") var starts: String
        @Option(help: "HH:MM.") var ends: String
        @Option(help: "Minutes of break within the session.") var breakMinutes = 0
        @Option var room: String?

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                let (_, cohort) = try await CommandSupport.cohort(self.cohort, on: app.db)
                guard let trainingClass = try await TrainingClass.query(on: app.db).filter(\.$cohort.$id == cohort.requireID()).filter(\.$name == self.class).first() else {
                    throw CommandFailure("--class: \(self.cohort) has no class \"\(self.class)\"")
                }
                let courses = try await Course.query(on: app.db).filter(\.$cohort.$id == cohort.requireID()).all().filter { $0.name.hasPrefix(course) }
                guard courses.count == 1, let chosen = courses.first else { throw CommandFailure("--course: \(courses.count) courses start with \"\(course)\"") }
                let date = day ?? CalendarDate(Date(), in: config.timeZone).iso
                let draft = try await CommandSupport.reportingProblems {
                    try TimetableDraft.parse(["weekdays": "1\n2\n3\n4\n5\n6\n7", "starts": starts, "ends": ends, "break_minutes": String(breakMinutes),
                                              "from": date, "to": date, "room": room ?? ""])
                }
                let count = try await TimetableService(database: app.db, actor: .commandLine)
                    .addSession(on: draft.pattern.from, draft, course: chosen, trainingClass: trainingClass, cohort: cohort, zone: config.timeZone)
                print("Added \(count) session to \(trainingClass.name) on \(date) \(starts)–\(ends).")
            }
        }
    }
}
