import ArgumentParser
import CadetSandbox
import Foundation
import SQLKit
import Vapor

/// Checks what Cadet needs, one line each, and exits non-zero when something is wrong.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check the database, migrations, python3 and the sandbox.")

    func run() async throws {
        let config = try CommandSupport.loadConfig()
        var problems = 0
        func line(_ ok: Bool, _ subject: String, _ detail: String) {
            if !ok { problems += 1 }
            print("\(ok ? "OK     " : "PROBLEM") \(subject): \(detail)")
        }
        try await CommandSupport.withApp(config) { app in
            let database = describe(config.database)
            do {
                _ = try await (app.db as! any SQLDatabase).raw("SELECT 1 AS one").first()
                line(true, "database", "\(database) answers")
                let pending = try await MigrationStatus.pending(app.db)
                line(pending.isEmpty, "migrations", pending.isEmpty ? "all \(Migrations.names.count) applied"
                     : "\(pending.count) of \(Migrations.names.count) pending; run `cadet migrate`")
            } catch {
                line(false, "database", "\(database) cannot be reached: \(error)")
            }
        }
        line(FileManager.default.isExecutableFile(atPath: config.sandboxPython), "python3",
             FileManager.default.isExecutableFile(atPath: config.sandboxPython) ? "\(config.sandboxPython) (\(Self.version(of: config.sandboxPython, "--version")))"
             : "\(config.sandboxPython) is missing (Debian: apt-get install python3)")
        let sandbox = try Sandbox(configuration: SandboxConfiguration(bubblewrap: config.sandboxBubblewrap, python: config.sandboxPython, concurrency: 1))
        switch await sandbox.probe() {
        case .available: line(true, "sandbox", "\(Self.version(of: config.sandboxBubblewrap, "--version")) ran a test program; grading can run")
        case .unavailable(let reason): line(false, "sandbox", "\(reason); grading is paused until this is fixed")
        }
        print("INFO    mail: " + (config.smtpURL.map { "SMTP via \($0.host ?? "?")" } ?? "SMTP not configured; messages stay in the outbox for staff"))
        if problems > 0 { throw ExitCode(1) }
    }

    private func describe(_ location: AppConfig.DatabaseLocation) -> String {
        switch location {
        case .sqliteFile(let path): "SQLite file \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres(let url): "PostgreSQL at \(URL(string: url)?.host ?? "?")"
        }
    }

    /// The first line a tool prints about its version.
    static func version(of executable: String, _ argument: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [argument]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return "version unknown" }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").first.map(String.init) ?? "version unknown"
    }
}
