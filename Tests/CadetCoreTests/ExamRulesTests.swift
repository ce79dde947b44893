import CadetCore
import Foundation
import Testing

@Suite("Admission test rules")
struct ExamRulesTests {
    static let open = Date(timeIntervalSince1970: 1_775_091_600) // 2026-04-02 10:00 KST
    static let timing = ExamTiming(windowStart: open, windowEnd: open.addingTimeInterval(7200), durationMinutes: 90, lateStartMinutes: 30, graceSeconds: 30)

    @Test("one may start from the opening until the last start, not before, not after")
    func startWindow() {
        let t = Self.timing
        #expect(t.startRefusal(at: Self.open.addingTimeInterval(-1)) == .notYet(opensAt: Self.open))
        #expect(t.startRefusal(at: Self.open) == nil)
        #expect(t.startRefusal(at: Self.open.addingTimeInterval(1800)) == nil)
        #expect(t.startRefusal(at: Self.open.addingTimeInterval(1801)) == .tooLate(lastStart: Self.open.addingTimeInterval(1800)))
    }

    @Test("the deadline is the duration from the start, cut at the window's end, plus extra time")
    func deadline() {
        let t = Self.timing
        #expect(t.deadline(startedAt: Self.open, extraMinutes: 0) == Self.open.addingTimeInterval(5400))
        // Starting 30 minutes late leaves 90 minutes: the window closes at 12:00 anyway.
        #expect(t.deadline(startedAt: Self.open.addingTimeInterval(1800), extraMinutes: 0) == Self.open.addingTimeInterval(7200))
        #expect(t.deadline(startedAt: Self.open.addingTimeInterval(1800), extraMinutes: 20) == Self.open.addingTimeInterval(7200 + 1200))
    }

    @Test("saves count until the grace after the deadline")
    func grace() {
        let deadline = Self.open.addingTimeInterval(5400)
        #expect(Self.timing.acceptsSave(at: deadline.addingTimeInterval(30), deadline: deadline))
        #expect(!Self.timing.acceptsSave(at: deadline.addingTimeInterval(31), deadline: deadline))
    }

    @Test("timing forms name each bad field")
    func parse() {
        #expect(throws: ValidationFailure.self) {
            try ExamTiming.parse(["window_start": "2026-04-02T12:00", "window_end": "2026-04-02T10:00", "duration_minutes": "x", "late_start_minutes": "30"], zone: .gmt)
        }
        do {
            _ = try ExamTiming.parse(["window_start": "2026-04-02T12:00", "window_end": "2026-04-02T10:00", "duration_minutes": "x", "late_start_minutes": "30"], zone: .gmt)
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["window_end", "duration_minutes"])
        }
    }

    @Test("objective answers: exact sets for choices, tolerance and fractions for numbers, forgiving text")
    func objective() {
        #expect(ObjectiveScoring.choices([0, 2], correct: [0, 2], points: 3) == 3)
        #expect(ObjectiveScoring.choices([0], correct: [0, 2], points: 3) == 0)
        #expect(ObjectiveScoring.choices([0, 1, 2], correct: [0, 2], points: 3) == 0)
        #expect(ObjectiveScoring.numeric("10,75", answer: 10.75, tolerance: 0, points: 2) == 2)
        #expect(ObjectiveScoring.numeric("1/36", answer: 0.027778, tolerance: 0.0005, points: 2) == 2)
        #expect(ObjectiveScoring.numeric("0.03", answer: 0.027778, tolerance: 0.0005, points: 2) == 0)
        #expect(ObjectiveScoring.numeric("nan", answer: 1, tolerance: 1, points: 2) == 0)
        #expect(ObjectiveScoring.numeric("1/0", answer: 1, tolerance: 1, points: 2) == 0)
        #expect(ObjectiveScoring.shortText("  ADE ", accepted: ["ade"], points: 2) == 2)
        #expect(ObjectiveScoring.shortText("", accepted: [""], points: 2) == 0)
    }

    @Test("renamed copies are flagged; different solutions and short answers are not")
    func similarity() {
        let a = "def f(xs):\n    total = 0\n    for x in xs:\n        if x > 0:\n            total += x\n    return total\n"
        let b = "def f(values):\n    s = 0  # sum\n    for v in values:\n        if v > 0:\n            s += v\n    return s\n"
        let c = "def f(xs):\n    return sum(x for x in xs if x > 0)\n"
        let pairs = CodeSimilarity.pairs([("a", a), ("b", b), ("c", c), ("d", "print(1)")])
        #expect(pairs == [CodeSimilarity.Pair(first: "a", second: "b", similarity: 1)])
    }

    @Test("statements in Markdown cannot carry markup")
    func markdown() {
        let html = SafeMarkdown.html("# Sum\n\nRead **two** numbers <script>alert(1)</script> and `print` them.\n\n```\nprint(\"<b>\")\n```\n- one\n- two\n\n1. first")
        #expect(html.contains("<h3>Sum</h3>"))
        #expect(html.contains("<strong>two</strong>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<code>print</code>"))
        #expect(html.contains("<pre><code>print(&quot;&lt;b&gt;&quot;)</code></pre>"))
        #expect(html.contains("<ul><li>one</li><li>two</li></ul>"))
        #expect(html.contains("<ol><li>first</li></ol>"))
        #expect(!html.contains("<script"))
        #expect(SafeMarkdown.html("2 * 3 * 4") == "<p>2 * 3 * 4</p>")
        #expect(SafeMarkdown.html("a ** b") == "<p>a ** b</p>")
    }

    @Test("sample runs: one at a time, a handful a minute")
    func sampleRuns() {
        let policy = SampleRunPolicy(perWindow: 3, window: 60)
        let now = Self.open
        #expect(policy.refusal(recent: [], pending: false, now: now) == nil)
        #expect(policy.refusal(recent: [now], pending: true, now: now) == .busy)
        let three = [now.addingTimeInterval(-50), now.addingTimeInterval(-20), now.addingTimeInterval(-5)]
        #expect(policy.refusal(recent: three, pending: false, now: now) == .wait(seconds: 10))
        #expect(policy.refusal(recent: three, pending: false, now: now.addingTimeInterval(11)) == nil)
    }
}
