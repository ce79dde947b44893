import Foundation
import Testing
@testable import CadetSandbox

@Suite("Questions and limits")
struct ProblemTests {
    @Test("a TESTS.json file decodes with defaults for what it leaves out")
    func decodesDefaults() throws {
        let json = #"{"tests": [{"stdin": "1 2\n", "expected": "3\n", "sample": true}, {"stdin": "2 2\n", "expected": "4\n", "points": 3}]}"#
        let problem = try JSONDecoder().decode(Problem.self, from: Data(json.utf8))
        #expect(problem.kind == .stdio)
        #expect(problem.comparison == .trailingWhitespace)
        #expect(problem.limits == .default)
        #expect(problem.tests[0].points == 1 && problem.tests[0].sample)
        #expect(problem.tests[1].points == 3 && !problem.tests[1].sample)
        #expect(problem.problems().isEmpty)
    }

    @Test("limits outside the safe range are named")
    func unsafeLimits() throws {
        let json = #"{"limits": {"cpu_seconds": 60, "memory_mib": 8}, "tests": [{"stdin": "", "expected": ""}]}"#
        let problem = try JSONDecoder().decode(Problem.self, from: Data(json.utf8))
        let problems = problem.problems()
        #expect(problems.contains { $0.hasPrefix("limits.cpu_seconds") })
        #expect(problems.contains { $0.hasPrefix("limits.memory_mib") })
    }

    @Test("a function question needs a function name and argument lists")
    func functionQuestion() throws {
        let json = #"{"kind": "function", "tests": [{"stdin": "x", "expected": 1}]}"#
        let problems = try JSONDecoder().decode(Problem.self, from: Data(json.utf8)).problems()
        #expect(problems.contains { $0.hasPrefix("function:") })
        #expect(problems.contains { $0.hasPrefix("tests[0].stdin") })
    }

    @Test("a source over 256 KiB, with NUL bytes or not UTF-8 is refused before it runs")
    func sourceRefusals() {
        let big = Data(repeating: UInt8(ascii: "#"), count: 300 << 10)
        #expect(SourceCheck.text(from: big).failureReason?.contains("256 KiB") == true)
        #expect(SourceCheck.text(from: Data([0x70, 0x00, 0x0A])).failureReason?.contains("NUL") == true)
        #expect(SourceCheck.text(from: Data([0x70, 0xFF, 0xFE])).failureReason?.contains("UTF-8") == true)
        #expect(SourceCheck.text(from: Data("print('안녕')".utf8)).failureReason == nil)
    }
}

extension Result where Failure == SourceCheck.Refusal {
    var failureReason: String? {
        if case .failure(let refusal) = self { refusal.reason } else { nil }
    }
}
