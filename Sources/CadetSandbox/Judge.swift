#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Turns what the harness measured into verdicts, outside the sandbox, against the expected
/// outputs that never went in.
struct Judge {
    static let messageLimit = 1_500
    static let outputExcerpt = 4_096

    let problem: Problem

    func report(from harness: HarnessReport) -> GradingReport {
        if let compileError = harness.compileError {
            return GradingReport(tests: problem.tests.enumerated().map { index, test in
                result(index, test, .syntaxError, message: clip(compileError))
            })
        }
        return GradingReport(tests: problem.tests.enumerated().map { index, test in
            guard index < harness.tests.count else {
                return result(index, test, .runtimeError, message: "The program stopped the grader before this test ran.")
            }
            return judge(index, test, harness.tests[index])
        })
    }

    /// Every test failed the same way before it could run (the harness itself was killed).
    func report(allFailing verdict: Verdict, message: String) -> GradingReport {
        GradingReport(tests: problem.tests.enumerated().map { result($0, $1, verdict, message: message) })
    }

    private func judge(_ index: Int, _ test: TestCase, _ o: HarnessReport.Outcome) -> TestResult {
        let limits = problem.limits
        let stdout = o.out
        var r = result(index, test, .accepted, message: nil)
        r.cpuMilliseconds = Int(o.cpu * 1000)
        r.wallMilliseconds = Int(o.wall * 1000)
        r.peakMemoryKiB = o.rssKb
        r.output = excerpt(problem.kind == .function ? Data((o.ret ?? "").utf8) : stdout)
        let memoryKiB = limits.memoryMiB << 10

        if o.killed == "output" {
            return failed(r, .outputLimit, "Output exceeded \(limits.outputKiB) KiB.")
        }
        if o.killed == "wall" {
            return failed(r, .timeLimit, "Still running after \(format(limits.wallSeconds)) s of wall time.")
        }
        if o.signal == SIGXCPU || o.cpu > limits.cpuSeconds {
            return failed(r, .timeLimit, "Used more than \(format(limits.cpuSeconds)) s of CPU time.")
        }
        if o.exit == HarnessExit.memoryError || (o.signal != nil && o.rssKb >= memoryKiB * 9 / 10) {
            return failed(r, .memoryLimit, "Needed more than \(limits.memoryMiB) MiB of memory.")
        }
        if let signal = o.signal {
            return failed(r, .runtimeError, clip(o.err).nonEmpty ?? "Killed by signal \(signal).")
        }
        if let exit = o.exit, exit != 0 {
            return failed(r, .runtimeError, clip(o.err).nonEmpty ?? "Exited with status \(exit).")
        }
        switch problem.kind {
        case .stdio:
            guard case .string(let expected) = test.expected else {
                return failed(r, .wrongAnswer, "The question has no expected output for this test.")
            }
            guard let text = String(data: stdout, encoding: .utf8) else {
                return failed(r, .wrongAnswer, "The output is not UTF-8 text.")
            }
            if !OutputComparison.matches(text, expected, mode: problem.comparison, tolerance: problem.tolerance) {
                return failed(r, .wrongAnswer, nil)
            }
        case .function:
            guard let ret = o.ret, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(ret.utf8)) else {
                return failed(r, .runtimeError, "The function returned nothing that could be read.")
            }
            if !OutputComparison.matches(value, test.expected, mode: problem.comparison, tolerance: problem.tolerance) {
                return failed(r, .wrongAnswer, nil)
            }
        }
        r.points = test.points
        return r
    }

    private func result(_ index: Int, _ test: TestCase, _ verdict: Verdict, message: String?) -> TestResult {
        TestResult(name: test.name ?? "test \(index + 1)", sample: test.sample, verdict: verdict,
                   points: 0, maxPoints: test.points, cpuMilliseconds: 0, wallMilliseconds: 0,
                   peakMemoryKiB: 0, message: message, output: nil)
    }

    private func failed(_ r: TestResult, _ verdict: Verdict, _ message: String?) -> TestResult {
        var r = r
        r.verdict = verdict
        r.message = message
        return r
    }

    /// The last lines of a traceback are the useful ones.
    private func clip(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false).suffix(12).joined(separator: "\n")
        return String(lines.suffix(Judge.messageLimit))
    }

    private func excerpt(_ data: Data) -> String? {
        guard !data.isEmpty else { return nil }
        return String(decoding: data.prefix(Judge.outputExcerpt), as: UTF8.self)
    }

    private func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
