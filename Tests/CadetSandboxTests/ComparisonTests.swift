import Testing
@testable import CadetSandbox

@Suite("Comparing outputs")
struct ComparisonTests {
    @Test("exact comparison counts every byte")
    func exact() {
        #expect(OutputComparison.matches("3\n", "3\n", mode: .exact, tolerance: nil))
        #expect(!OutputComparison.matches("3 \n", "3\n", mode: .exact, tolerance: nil))
        #expect(!OutputComparison.matches("3", "3\n", mode: .exact, tolerance: nil))
    }

    @Test("trailing whitespace and trailing blank lines are ignored, inner ones are not")
    func trailingWhitespace() {
        #expect(OutputComparison.matches("1 2  \r\n3\t\n\n\n", "1 2\n3\n", mode: .trailingWhitespace, tolerance: nil))
        #expect(OutputComparison.matches("1 2", "1 2\n", mode: .trailingWhitespace, tolerance: nil))
        #expect(!OutputComparison.matches("1  2\n", "1 2\n", mode: .trailingWhitespace, tolerance: nil))
        #expect(!OutputComparison.matches("\n1 2\n", "1 2\n", mode: .trailingWhitespace, tolerance: nil))
    }

    @Test("numeric comparison accepts differences within the tolerance and nothing else")
    func numeric() {
        #expect(OutputComparison.matches("3.14159\n", "3.1416", mode: .numeric, tolerance: 1e-4))
        #expect(!OutputComparison.matches("3.14\n", "3.1416", mode: .numeric, tolerance: 1e-4))
        #expect(OutputComparison.matches("1e6 x", "1000000.0000001 x", mode: .numeric, tolerance: 1e-6))
        #expect(!OutputComparison.matches("1 y", "1 x", mode: .numeric, tolerance: 1e-6))
        #expect(!OutputComparison.matches("1 2", "1", mode: .numeric, tolerance: 1e-6))
        #expect(!OutputComparison.matches("nan", "1", mode: .numeric, tolerance: 1e-6))
    }

    @Test("unordered lines compare as a multiset of lines")
    func unordered() {
        #expect(OutputComparison.matches("b\na\nc\n", "a\nb\nc", mode: .unorderedLines, tolerance: nil))
        #expect(!OutputComparison.matches("a\na\nc\n", "a\nc\nc", mode: .unorderedLines, tolerance: nil))
    }

    @Test("function answers compare as JSON, numbers by value")
    func jsonValues() {
        #expect(OutputComparison.matches(.number(3), .number(3.0), mode: .exact, tolerance: nil))
        #expect(!OutputComparison.matches(.number(0.30000000000000004), .number(0.3), mode: .exact, tolerance: nil))
        #expect(OutputComparison.matches(.number(0.30000000000000004), .number(0.3), mode: .numeric, tolerance: 1e-9))
        #expect(OutputComparison.matches(.array([.number(2), .number(1)]), .array([.number(1), .number(2)]), mode: .unorderedLines, tolerance: nil))
        #expect(!OutputComparison.matches(.array([.number(2), .number(1)]), .array([.number(1), .number(2)]), mode: .exact, tolerance: nil))
        #expect(!OutputComparison.matches(.string("1"), .number(1), mode: .exact, tolerance: nil))
    }
}
