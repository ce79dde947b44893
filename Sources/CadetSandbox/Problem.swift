/// A programming question as the grader sees it: how answers are run, compared and scored.
/// This is the TESTS.json format of `cadet sandbox run` (see docs/sandbox.md).
public struct Problem: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The program reads standard input and prints its answer.
        case stdio
        /// The program defines a function; each test calls it with arguments.
        case function
    }

    public enum Comparison: String, Codable, Sendable, CaseIterable {
        case exact
        /// Trailing spaces on each line and trailing blank lines do not count.
        case trailingWhitespace = "ignore_trailing_whitespace"
        /// Numbers may differ by `tolerance`; other words must match exactly.
        case numeric
        /// The same lines in any order.
        case unorderedLines = "unordered_lines"
    }

    public var kind: Kind
    public var function: String?
    public var comparison: Comparison
    public var tolerance: Double?
    public var limits: SandboxLimits
    public var tests: [TestCase]

    public init(kind: Kind = .stdio, function: String? = nil, comparison: Comparison = .trailingWhitespace,
                tolerance: Double? = nil, limits: SandboxLimits = .default, tests: [TestCase]) {
        self.kind = kind
        self.function = function
        self.comparison = comparison
        self.tolerance = tolerance
        self.limits = limits
        self.tests = tests
    }

    enum CodingKeys: String, CodingKey { case kind, function, comparison, tolerance, limits, tests }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .stdio
        function = try c.decodeIfPresent(String.self, forKey: .function)
        comparison = try c.decodeIfPresent(Comparison.self, forKey: .comparison) ?? .trailingWhitespace
        tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance)
        limits = try c.decodeIfPresent(SandboxLimits.self, forKey: .limits) ?? .default
        tests = try c.decode([TestCase].self, forKey: .tests)
    }

    public static let maximumTests = 100
    public static let maximumInputBytes = 8 << 20

    /// Problems with the question itself (not with an answer), named so staff can fix them.
    public func problems() -> [String] {
        var found: [String] = []
        if tests.isEmpty { found.append("tests: at least one test case is needed") }
        if tests.count > Problem.maximumTests { found.append("tests: at most \(Problem.maximumTests) test cases") }
        if kind == .function {
            if let name = function, Problem.isIdentifier(name) {} else {
                found.append("function: a Python function name is needed for a function question")
            }
        }
        if comparison == .numeric, (tolerance ?? 0) < 0 { found.append("tolerance: must not be negative") }
        found += limits.outOfBounds.map { "limits.\($0): outside the safe range" }
        var input = 0
        for (index, test) in tests.enumerated() {
            let label = "tests[\(index)]"
            switch kind {
            case .stdio:
                if case .string = test.expected {} else { found.append("\(label).expected: must be the expected output as text") }
                if test.args != nil { found.append("\(label).args: only function questions take arguments") }
            case .function:
                if test.stdin != nil { found.append("\(label).stdin: function questions take args, not stdin") }
            }
            if test.points < 0 || !test.points.isFinite { found.append("\(label).points: must be zero or more") }
            input += test.stdin?.utf8.count ?? 0
            input += test.args.map { $0.description.utf8.count } ?? 0
        }
        if input > Problem.maximumInputBytes { found.append("tests: inputs larger than \(Problem.maximumInputBytes >> 20) MiB in all") }
        return found
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 100 else { return false }
        let letters = CharacterSet.letters.union(CharacterSet(charactersIn: "_"))
        return letters.contains(first) && name.unicodeScalars.allSatisfy { letters.contains($0) || CharacterSet.decimalDigits.contains($0) }
    }
}

public struct TestCase: Codable, Sendable, Equatable {
    public var name: String?
    /// Standard input (stdio questions).
    public var stdin: String?
    /// Arguments to the function (function questions).
    public var args: [JSONValue]?
    /// The expected output text (stdio) or return value (function). Never enters the sandbox.
    public var expected: JSONValue
    public var points: Double
    /// Sample tests are shown to the taker, with their output; hidden tests only say pass or fail.
    public var sample: Bool

    public init(name: String? = nil, stdin: String? = nil, args: [JSONValue]? = nil, expected: JSONValue, points: Double = 1, sample: Bool = false) {
        self.name = name
        self.stdin = stdin
        self.args = args
        self.expected = expected
        self.points = points
        self.sample = sample
    }

    enum CodingKeys: String, CodingKey { case name, stdin, args, expected, points, sample }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        stdin = try c.decodeIfPresent(String.self, forKey: .stdin)
        args = try c.decodeIfPresent([JSONValue].self, forKey: .args)
        expected = try c.decode(JSONValue.self, forKey: .expected)
        points = try c.decodeIfPresent(Double.self, forKey: .points) ?? 1
        sample = try c.decodeIfPresent(Bool.self, forKey: .sample) ?? false
    }
}

import Foundation
