import Foundation
import Testing
@testable import CadetSandbox

extension SandboxRuns {
@Suite("Grading answers in the real sandbox")
struct GradingTests {
    let addition = Problem(tests: [
        TestCase(name: "sample", stdin: "1 2\n", expected: .string("3\n"), points: 1, sample: true),
        TestCase(stdin: "10 20\n", expected: .string("30\n"), points: 2),
        TestCase(stdin: "-5 5\n", expected: .string("0\n"), points: 3),
    ])

    @Test("a correct program is accepted with full marks and its costs measured")
    func accepted() async throws {
        try await Fixture.requireSandbox()
        let report = try await Fixture.grade("a, b = map(int, input().split())\nprint(a + b)\n", addition)
        #expect(report.verdict == .accepted)
        #expect(report.score == 6 && report.maxScore == 6)
        #expect(report.tests.allSatisfy { $0.verdict == .accepted && $0.peakMemoryKiB > 1000 && $0.wallMilliseconds < 2000 })
        #expect(report.tests[0].output == "3\n")
    }

    @Test("partial credit counts only the tests that pass")
    func partialCredit() async throws {
        try await Fixture.requireSandbox()
        let report = try await Fixture.grade("a, b = map(int, input().split())\nprint(abs(a) + b)\n", addition)
        #expect(report.verdict == .wrongAnswer)
        #expect(report.score == 3)
        #expect(report.tests.map(\.verdict) == [.accepted, .accepted, .wrongAnswer])
    }

    @Test("a syntax error fails every test with the compiler's message")
    func syntaxError() async throws {
        try await Fixture.requireSandbox()
        let report = try await Fixture.grade("def f(:\n    pass\n", addition)
        #expect(report.verdict == .syntaxError)
        #expect(report.tests.allSatisfy { $0.verdict == .syntaxError })
        #expect(report.tests[0].message?.contains("SyntaxError") == true)
        #expect(report.tests[0].message?.contains("line 1") == true)
    }

    @Test("a runtime error shows the end of the traceback, with the taker's own line")
    func runtimeError() async throws {
        try await Fixture.requireSandbox()
        let report = try await Fixture.grade("a, b = map(int, input().split())\nprint(a // (b - b))\n", addition)
        let message = try #require(report.tests[0].message)
        #expect(report.tests[0].verdict == .runtimeError)
        #expect(message.contains("ZeroDivisionError"))
        #expect(message.contains("line 2"))
        #expect(message.contains("print(a // (b - b))"))
        #expect(!message.contains("harness"))
    }

    @Test("sys.exit(0) is a normal end; sys.exit(3) is a runtime error")
    func exitCodes() async throws {
        try await Fixture.requireSandbox()
        #expect(try await Fixture.grade("print(3)\nimport sys\nsys.exit(0)\n", Fixture.stdio("3\n")).verdict == .accepted)
        #expect(try await Fixture.grade("print(3)\nimport sys\nsys.exit(3)\n", Fixture.stdio("3\n")).verdict == .runtimeError)
    }

    @Test("function questions call the function and compare its return value outside")
    func functionQuestion() async throws {
        try await Fixture.requireSandbox()
        let problem = Problem(kind: .function, function: "mean", comparison: .numeric, tolerance: 1e-9, tests: [
            TestCase(args: [.array([.number(1), .number(2), .number(3)])], expected: .number(2)),
            TestCase(args: [.array([.number(1), .number(2)])], expected: .number(1.5), points: 2),
        ])
        let right = try await Fixture.grade("def mean(xs):\n    return sum(xs) / len(xs)\n", problem)
        #expect(right.verdict == .accepted && right.score == 3)
        let wrong = try await Fixture.grade("def mean(xs):\n    return sum(xs) // len(xs)\n", problem)
        #expect(wrong.tests.map(\.verdict) == [.accepted, .wrongAnswer])
        let missing = try await Fixture.grade("def average(xs):\n    return 0\n", problem)
        #expect(missing.verdict == .runtimeError)
        #expect(missing.tests[0].message?.contains("mean") == true)
        let unserialisable = try await Fixture.grade("def mean(xs):\n    return {1, 2}\n", problem)
        #expect(unserialisable.verdict == .runtimeError)
        #expect(unserialisable.tests[0].message?.contains("cannot be compared") == true)
    }

    @Test("Korean text passes through unchanged")
    func unicode() async throws {
        try await Fixture.requireSandbox()
        let report = try await Fixture.grade("print('안녕, ' + input())\n", Fixture.stdio("안녕, 광주\n", stdin: "광주\n"))
        #expect(report.verdict == .accepted)
    }

    @Test("a broken question is refused and says what is wrong with it")
    func brokenQuestion() async throws {
        let problem = Problem(limits: SandboxLimits(cpuSeconds: 100, wallSeconds: 5, memoryMiB: 256, outputKiB: 64,
                                                    processes: 8, fileKiB: 1024, tmpMiB: 16, openFiles: 64),
                              tests: [TestCase(stdin: "", expected: .string(""))])
        let report = try await Fixture.grade("print(1)\n", problem)
        #expect(report.verdict == .refused)
        #expect(report.message?.contains("cpu_seconds") == true)
    }

    @Test("many submissions at once all get their own correct verdicts")
    func concurrent() async throws {
        try await Fixture.requireSandbox()
        let verdicts = await withTaskGroup(of: (Int, Verdict?).self) { group in
            for n in 0..<16 {
                group.addTask {
                    let source = "a, b = map(int, input().split())\nprint(a + b + \(n % 2))\n"
                    return (n, try? await Fixture.grade(source, addition).verdict)
                }
            }
            var all: [Int: Verdict?] = [:]
            for await (n, verdict) in group { all[n] = verdict }
            return all
        }
        for (n, verdict) in verdicts {
            #expect(verdict == (n % 2 == 0 ? .accepted : .wrongAnswer))
        }
    }
}
}
