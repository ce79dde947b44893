import CadetCore
import CadetSandbox
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// The one loop every capability's background work runs in, with the mailer and the sandbox
/// swapped for doubles that fail the test on anything unforeseen.
@Suite("Background jobs")
struct BackgroundJobsTests {
    @Test("a serving process delivers the outbox and grades the queue through its jobs, and stops them all at shutdown")
    func jobsRunAndStop() async throws {
        try await TestApp.withApp { app in
            let problem = Problem(tests: [TestCase(stdin: "", expected: .string("5\n"))])
            let report = GradingReport(tests: [TestResult(name: "t1", sample: false, verdict: .accepted, points: 1, maxPoints: 1)])
            let mailer = RecordingMailer(expecting: ["minjun@example.org"])
            app.mailer = mailer
            app.codeRunner = ScriptedRunner(reports: ["print(5)": report])
            try await Outbox.enqueue(to: "minjun@example.org", subject: "안녕하세요", body: "b", kind: "test", on: app.db)
            let job = try await GradingQueue(database: app.db).enqueue(problem: problem, source: "print(5)", purpose: "test")
            let jobs = BackgroundJobs(settings: BackgroundSettings(graders: 1))
            app.lifecycle.use(jobs)
            try await app.asyncBoot()
            let deadline = Date().addingTimeInterval(20)
            var delivered = false, graded = false
            while Date() < deadline, !(delivered && graded) {
                delivered = try await OutboxMessage.query(on: app.db).first()?.sentAt != nil
                graded = try await GradingJob.find(job, on: app.db)?.status == .done
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(delivered && graded)
            #expect(mailer.messages.map(\.subject) == ["안녕하세요"])
            #expect(try await GradingJob.find(job, on: app.db)?.verdict == "accepted")
            await jobs.shutdownAsync(app)
        }
    }

    @Test("the clock decides when a token has expired")
    func clockDecidesExpiry() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let made = try await APITokenService(database: app.db, actor: .demo)
                .create(.init(name: "t", kind: .personal, scope: "academy", access: .read, expiresInDays: 1), by: seed.users[.operator]!,
                        policy: AccessPolicy(grants: [Grant(.operator, .academy)]))
            let clock = FixedClock(Date())
            app.clock = clock
            #expect(try await app.api(.GET, "/api/v1/me", token: made.token).status == .ok)
            clock.set(Date().addingTimeInterval(2 * 86_400))
            #expect(try await app.api(.GET, "/api/v1/me", token: made.token).errorCode == "api.token_invalid")
        }
    }
}
