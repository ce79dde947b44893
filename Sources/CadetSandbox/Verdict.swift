/// The outcome of one test case, or of a whole submission (the first test that did not pass).
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case accepted
    case wrongAnswer = "wrong_answer"
    case timeLimit = "time_limit"
    case memoryLimit = "memory_limit"
    case outputLimit = "output_limit"
    case runtimeError = "runtime_error"
    case syntaxError = "syntax_error"
    /// Not run at all: the source was too large, not UTF-8, or the question is broken.
    case refused
}

public struct TestResult: Codable, Sendable, Equatable {
    public var name: String
    public var sample: Bool
    public var verdict: Verdict
    public var points: Double
    public var maxPoints: Double
    public var cpuMilliseconds: Int
    public var wallMilliseconds: Int
    public var peakMemoryKiB: Int
    /// Why it failed, in a line or the tail of a traceback.
    public var message: String?
    /// The start of what the program printed (or returned), for samples and for staff.
    public var output: String?

    public init(name: String, sample: Bool, verdict: Verdict, points: Double, maxPoints: Double, cpuMilliseconds: Int = 0,
                wallMilliseconds: Int = 0, peakMemoryKiB: Int = 0, message: String? = nil, output: String? = nil) {
        self.name = name
        self.sample = sample
        self.verdict = verdict
        self.points = points
        self.maxPoints = maxPoints
        self.cpuMilliseconds = cpuMilliseconds
        self.wallMilliseconds = wallMilliseconds
        self.peakMemoryKiB = peakMemoryKiB
        self.message = message
        self.output = output
    }

    enum CodingKeys: String, CodingKey {
        case name, sample, verdict, points, maxPoints = "max_points", cpuMilliseconds = "cpu_ms"
        case wallMilliseconds = "wall_ms", peakMemoryKiB = "peak_memory_kib", message, output
    }
}

public struct GradingReport: Codable, Sendable, Equatable {
    public var verdict: Verdict
    public var score: Double
    public var maxScore: Double
    public var message: String?
    public var tests: [TestResult]

    enum CodingKeys: String, CodingKey {
        case verdict, score, maxScore = "max_score", message, tests
    }

    public init(tests: [TestResult], message: String? = nil) {
        self.tests = tests
        self.message = message
        self.score = tests.reduce(0) { $0 + $1.points }
        self.maxScore = tests.reduce(0) { $0 + $1.maxPoints }
        self.verdict = tests.first { $0.verdict != .accepted }?.verdict ?? .accepted
    }

    /// A submission that was not run, with the reason.
    public static func refused(_ reason: String, problem: Problem?) -> GradingReport {
        var report = GradingReport(tests: [], message: reason)
        report.verdict = .refused
        report.maxScore = problem?.tests.reduce(0) { $0 + $1.points } ?? 0
        return report
    }
}
