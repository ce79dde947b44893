import CadetCore
import CadetSandbox
import Fluent
import Foundation

/// Hackathons that want code: with every prediction file a team uploads the program that made
/// it, and the sandbox runs that program on the hackathon's program input (training rows and the
/// test rows' features, given on standard input). The check passes when the program prints the
/// very file the team uploaded; the board scores the file either way, and the check's verdict is
/// shown beside it, for the organisers to weigh.
enum HackathonCode {
    static let purpose = "hackathon_code"
    static let maximumCodeBytes = 64 << 10
    /// A program may train for up to ten seconds of processor time and print up to 1 MiB: the
    /// sandbox's ceiling, so the check fits prediction files up to that size.
    static let limits = SandboxLimits(cpuSeconds: 10, wallSeconds: 30, memoryMiB: 512, outputKiB: 1024,
                                      processes: 8, fileKiB: 1024, tmpMiB: 16, openFiles: 64)

    /// The program as text, or why it is refused (`required`, `too_large`, `not_text`).
    static func source(_ bytes: [UInt8]?) -> Result<String, ProjectsError> {
        guard let bytes, !bytes.isEmpty else { return .failure(.codeRefused(reason: "required")) }
        guard bytes.count <= maximumCodeBytes else { return .failure(.codeRefused(reason: "too_large")) }
        guard let text = String(validating: bytes, as: UTF8.self), !text.contains("\0") else { return .failure(.codeRefused(reason: "not_text")) }
        return .success(text)
    }

    /// The uploaded file as the program must print it: without a byte-order mark, with plain
    /// line ends (trailing spaces and blank lines do not count).
    static func expected(_ upload: [UInt8]) -> String {
        var text = String(decoding: upload, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    static func problem(input: String, upload: [UInt8]) -> Problem {
        Problem(kind: .stdio, comparison: .trailingWhitespace, limits: limits,
                tests: [TestCase(name: "reproduce", stdin: input, expected: .string(expected(upload)), points: 1)])
    }

    /// Queues the check of one submission, in the caller's transaction.
    static func enqueue(source: String, input: String, upload: [UInt8], submission: UUID, on db: any Database) async throws -> UUID {
        try await GradingQueue(database: db).enqueue(problem: problem(input: input, upload: upload), source: source, purpose: purpose,
                                                     reference: submission.uuidString, priority: .background)
    }

    /// Each checked submission's state: `checking`, `reproduced` or the sandbox's verdict.
    static func states(of submissions: [HackathonSubmission], on db: any Database) async throws -> [UUID: String] {
        let jobs = Dictionary(try await GradingJob.query(on: db).filter(\.$id ~~ submissions.compactMap(\.codeJobID)).all().map { ($0.id!, $0) }) { a, _ in a }
        var states: [UUID: String] = [:]
        for submission in submissions {
            guard let id = submission.codeJobID, let job = jobs[id] else { continue }
            switch job.status {
            case .queued, .leased: states[submission.id!] = "checking"
            case .done, .failed: states[submission.id!] = job.verdict == Verdict.accepted.rawValue ? "reproduced" : (job.verdict ?? Verdict.refused.rawValue)
            }
        }
        return states
    }
}

/// The program input of a hackathon that wants code, and each submission's program and check.
struct AddHackathonCode: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema(Hackathon.schema).field("program_input", .string).update()
        try await database.schema(HackathonSubmission.schema).field("code", .string).update()
        try await database.schema(HackathonSubmission.schema).field("code_job_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HackathonSubmission.schema).deleteField("code_job_id").update()
        try await database.schema(HackathonSubmission.schema).deleteField("code").update()
        try await database.schema(Hackathon.schema).deleteField("program_input").update()
    }
}
