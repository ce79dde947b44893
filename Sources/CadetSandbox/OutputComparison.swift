/// Compares a program's output with the expected output, the way the question asks.
enum OutputComparison {
    static func matches(_ actual: String, _ expected: String, mode: Problem.Comparison, tolerance: Double?) -> Bool {
        switch mode {
        case .exact:
            return actual == expected
        case .trailingWhitespace:
            return normalisedLines(actual) == normalisedLines(expected)
        case .unorderedLines:
            return normalisedLines(actual).sorted() == normalisedLines(expected).sorted()
        case .numeric:
            let a = tokens(actual), b = tokens(expected)
            guard a.count == b.count else { return false }
            return zip(a, b).allSatisfy { numericTokensMatch($0, $1, tolerance: tolerance ?? 1e-6) }
        }
    }

    /// Lines without trailing spaces, tabs or carriage returns, and without trailing blank lines.
    static func normalisedLines(_ text: String) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line -> Substring in
            guard let last = line.lastIndex(where: { !" \t\r".contains($0) }) else { return line.prefix(0) }
            return line[...last]
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static func tokens(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }

    static func numericTokensMatch(_ a: Substring, _ b: Substring, tolerance: Double) -> Bool {
        guard let x = Double(a), let y = Double(b), x.isFinite, y.isFinite else { return a == b }
        return abs(x - y) <= tolerance * max(1, abs(y))
    }

    /// Function answers: JSON values, numbers within the tolerance in numeric mode, and a list
    /// taken as a multiset in unordered mode.
    static func matches(_ actual: JSONValue, _ expected: JSONValue, mode: Problem.Comparison, tolerance: Double?) -> Bool {
        let tolerance = mode == .numeric ? (tolerance ?? 1e-6) : nil
        if mode == .unorderedLines, case .array(let a) = actual, case .array(let b) = expected {
            guard a.count == b.count else { return false }
            var remaining = b
            for item in a {
                guard let index = remaining.firstIndex(where: { item.matches($0, tolerance: tolerance) }) else { return false }
                remaining.remove(at: index)
            }
            return true
        }
        return actual.matches(expected, tolerance: tolerance)
    }
}

import Foundation
