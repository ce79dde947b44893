import ArgumentParser
import CadetCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// `cadet bench certificates`: a cohort of N completers on a scratch database; certificates are
/// issued in bulk, then each one's PDF and signed credential are made by the same code the
/// downloads use, as many at once as there are cores. The baseline, in the same run, is a PDF of
/// one line in the same font, so the ratio says what the certificate's layout costs.
struct CertificateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certificates", abstract: "Issue N certificates (PDF and signed credential); the rate against a one-line PDF.")

    @Option(help: "Certificates to issue.") var count = 1_000

    func run() async throws {
        var config = try CommandSupport.loadConfig()
        config.logLevel = .error
        let scratch = NSTemporaryDirectory() + "cadet-bench-\(UUID().uuidString).sqlite"
        config.database = .sqliteFile(scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let count = count
        try await CommandSupport.withApp(config) { app in
            try await app.autoMigrate()
            try await DatabaseTuning.apply(app)
            let ref = try await Self.cohort(of: count, app: app)
            let cores = System.coreCount

            let issuing = ContinuousClock.now
            let issued = try await CertificateService(database: app.db, actor: .commandLine, now: Date()).issue(ref)
            let issueSeconds = BenchClock.seconds(since: issuing)
            let certificates = try await Certificate.query(on: app.db).filter(\.$cohort.$id == ref.id).all()
            guard issued == count, certificates.count == count else { throw CommandFailure("issued \(issued) of \(count)") }

            let bytes = NIOLockedValueBox(0)
            let making = ContinuousClock.now
            try await Self.inParallel(certificates, width: cores) { certificate in
                let pdf = try await CertificateService.pdf(certificate, app: app, on: app.db)
                let credential = try await CertificateCredential.sign(certificate, app: app, on: app.db)
                guard pdf.starts(with: Data("%PDF-".utf8)), credential.split(separator: ".").count == 3 else { throw CommandFailure("a broken certificate") }
                bytes.withLockedValue { $0 += pdf.count }
            }
            let makeSeconds = BenchClock.seconds(since: making)

            let baselineStart = ContinuousClock.now
            try await Self.inParallel(Array(0..<count), width: cores) { index in
                _ = try await app.threadPool.runIfActive {
                    let canvas = PDFCanvas()
                    canvas.text("Certificate \(index)", x: 72, y: 72, width: 400, font: "NanumMyeongjo 14")
                    return canvas.finish()
                }
            }
            let baselineSeconds = BenchClock.seconds(since: baselineStart)

            let rate = Double(count) / makeSeconds
            print("Certificates: \(count) on SQLite, \(cores) cores")
            print(String(format: "  issue (rows, one transaction): %.2f s = %.0f a second", issueSeconds, Double(count) / issueSeconds))
            print(String(format: "  PDF + signed credential: %.2f s = %.1f a second   (target: at least 50 a second); %.0f KiB a PDF",
                         makeSeconds, rate, Double(bytes.withLockedValue { $0 }) / Double(count) / 1024))
            print(String(format: "  baseline, a one-line PDF: %.2f s = %.1f a second; ratio certificate / baseline time: %.2f",
                         baselineSeconds, Double(count) / baselineSeconds, makeSeconds / baselineSeconds))
            if rate < 50 { throw ExitCode(1) }
        }
    }

    /// Runs `body` over `items`, at most `width` at a time.
    static func inParallel<T: Sendable>(_ items: [T], width: Int, _ body: @escaping @Sendable (T) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<min(width, items.count) {
                let item = items[next]; next += 1
                group.addTask { try await body(item) }
            }
            while try await group.next() != nil, next < items.count {
                let item = items[next]; next += 1
                group.addTask { try await body(item) }
            }
        }
    }

    /// A cohort whose `count` trainees a completion run found completed.
    static func cohort(of count: Int, app: Application) async throws -> DirectoryLookup.CohortRef {
        let programme = try await ProgrammeService(database: app.db, actor: .commandLine).create(["slug": "bench", "name": "벤치마크 AI 과정 Benchmark"])
        let cohort = try await CohortService(database: app.db, actor: .commandLine).create(in: programme, [
            "slug": "c1", "name": "1기", "capacity": String(count), "starts_on": "2027-03-02", "ends_on": "2027-06-30"])
        let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID())
        _ = try await CompletionService(database: app.db, actor: .commandLine, now: Date())
            .saveRules(CompletionRules(signatories: ["원장 Director", "학장 Dean"]), for: ref)
        let run = CompletionRun()
        run.$cohort.id = ref.id
        run.number = 1
        run.rulesVersion = 1
        run.attendanceRulesVersion = 0
        run.ranBy = "bench"
        run.ranAt = Date()
        try await run.create(on: app.db)
        try await app.db.transaction { db in
            for index in 0..<count {
                let user = User(email: "trainee\(index)@bench.invalid", name: "김하늘 \(index)")
                try await user.create(on: db)
                let result = CompletionResult()
                result.$run.id = run.id!
                result.$trainee.id = user.id!
                result.className = "1반"
                result.computed = .completed
                result.outcome = .completed
                result.plannedMinutes = 960 * 60
                result.attendedMinutes = 900 * 60
                result.checksJSON = "[]"
                try await result.create(on: db)
            }
        }
        return ref
    }
}
