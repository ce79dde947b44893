/// The JSON the grader sends to harness.py and the JSON it gets back. Only inputs go in:
/// expected outputs stay outside the sandbox.
struct HarnessRequest: Encodable {
    struct Limits: Encodable {
        let cpuSeconds: Double
        let wallSeconds: Double
        let memoryBytes: Int
        let outputBytes: Int
        let fileBytes: Int
        let openFiles: Int
        /// RLIMIT_NPROC counts every process of the user, so this is the allowance plus what
        /// already runs under that user (see `Sandbox.processBase`).
        let processes: Int

        enum CodingKeys: String, CodingKey {
            case cpuSeconds = "cpu_seconds", wallSeconds = "wall_seconds", memoryBytes = "memory_bytes"
            case outputBytes = "output_bytes", fileBytes = "file_bytes", openFiles = "open_files", processes
        }
    }

    struct Test: Encodable {
        let stdin: String?
        let args: [JSONValue]?
    }

    let source: String
    let kind: String
    let function: String?
    let limits: Limits
    let tests: [Test]
    /// True inside the sandbox's own PID namespace, where the harness may kill(-1).
    let isolated: Bool

    init(source: String, problem: Problem, processBase: Int, isolated: Bool) {
        let l = problem.limits
        self.source = source
        self.kind = problem.kind.rawValue
        self.function = problem.function
        self.limits = Limits(
            cpuSeconds: l.cpuSeconds, wallSeconds: l.wallSeconds, memoryBytes: l.memoryMiB << 20,
            outputBytes: l.outputKiB << 10, fileBytes: l.fileKiB << 10, openFiles: l.openFiles,
            processes: processBase + l.processes
        )
        self.tests = problem.tests.map { Test(stdin: $0.stdin, args: $0.args) }
        self.isolated = isolated
    }
}

struct HarnessReport: Decodable {
    struct Outcome: Decodable {
        let exit: Int?
        let signal: Int32?
        let cpu: Double
        let wall: Double
        let rssKb: Int
        let killed: String?
        let out: String
        let err: String
        let ret: String?

        enum CodingKeys: String, CodingKey {
            case exit, signal, cpu, wall, rssKb = "rss_kb", killed, out, err, ret
        }
    }

    let compileError: String?
    let tests: [Outcome]

    enum CodingKeys: String, CodingKey {
        case compileError = "compile_error", tests
    }
}

/// Exit codes the harness uses for what it saw in the child.
enum HarnessExit {
    static let exception = 120
    static let memoryError = 121
    static let unserialisable = 122
    static let missingFunction = 123
    static let harnessFailure = 125
}
