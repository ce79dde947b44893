import Foundation
import Testing
@testable import CadetCore

@Suite("Completion: rules, verdicts with their numbers, departures, serials")
struct CompletionRulesTests {
    let rules = CompletionRules()

    @Test("80% of the planned hours completes; one minute less does not; the numbers are kept")
    func attendanceShare() {
        let exactly = CompletionJudge.judge(.init(plannedMinutes: 960 * 60, attendedMinutes: 768 * 60), by: rules)
        #expect(exactly.outcome == .completed)
        #expect(exactly.checks.first { $0.rule == .attendance } == .init(rule: .attendance, met: true, reached: 800, needed: 800))
        let short = CompletionJudge.judge(.init(plannedMinutes: 960 * 60, attendedMinutes: 768 * 60 - 1), by: rules)
        #expect(short.outcome == .notCompleted)
        #expect(short.checks.first { $0.rule == .attendance }?.reached == 799)
    }

    @Test("training not yet over (sessions to come or unmarked) is in training, whatever the hours")
    func notOver() {
        let toCome = CompletionJudge.judge(.init(plannedMinutes: 600, attendedMinutes: 600, remainingMinutes: 60), by: rules)
        #expect(toCome.outcome == .inTraining)
        #expect(toCome.checks.first == .init(rule: .trainingOver, met: false, reached: 60, needed: 0))
        let unmarked = CompletionJudge.judge(.init(plannedMinutes: 600, attendedMinutes: 500, pendingMinutes: 30), by: rules)
        #expect(unmarked.outcome == .inTraining)
    }

    @Test("a floor in hours is a rule of its own: a high share of a short plan is not enough")
    func minimumHours() {
        let strict = CompletionRules(attendanceShare: 0.8, minimumHours: 300)
        let verdict = CompletionJudge.judge(.init(plannedMinutes: 320 * 60, attendedMinutes: 290 * 60), by: strict)
        #expect(verdict.outcome == .notCompleted)
        #expect(verdict.checks.map(\.met) == [true, true, false])
        #expect(verdict.checks.last == .init(rule: .minimumHours, met: false, reached: 290 * 60, needed: 300 * 60))
    }

    @Test("a trainee who dropped out or was dismissed keeps that outcome even with enough hours")
    func departures() {
        let left = Departure(kind: .dropped, on: CalendarDate(iso: "2020-09-01")!, reason: "Took a job")
        #expect(CompletionJudge.judge(.init(plannedMinutes: 600, attendedMinutes: 600, departure: left), by: rules).outcome == .dropped)
        let out = Departure(kind: .dismissed, on: CalendarDate(iso: "2020-09-01")!, reason: "Absent over 20% of days")
        #expect(CompletionJudge.judge(.init(plannedMinutes: 600, attendedMinutes: 0, departure: out), by: rules).outcome == .dismissed)
        #expect(CompletionJudge.judge(.init(plannedMinutes: 0, attendedMinutes: 0), by: rules).outcome == .notCompleted)
    }

    @Test("forms: the share is a whole percentage, a reason is mandatory, bad values are named")
    func parsing() throws {
        #expect(try CompletionRules.parse(["attendance_percent": "75", "minimum_hours": ""]) == CompletionRules(attendanceShare: 0.75))
        #expect(throws: ValidationFailure.self) { try CompletionRules.parse(["attendance_percent": "0"]) }
        do {
            _ = try CompletionOverride.parse(["outcome": "completed", "reason": ""])
            Issue.record("an override without a reason was accepted")
        } catch { #expect(error.issues.map(\.field) == ["reason"]) }
        do {
            _ = try Departure.parse(["kind": "expelled", "day": "2020-02-30", "reason": "x\u{0}y"])
            Issue.record("a bad departure was accepted")
        } catch { #expect(Set(error.issues.map(\.field)) == ["kind", "day", "reason"]) }
    }

    @Test("a re-run lists exactly the trainees whose outcome changed")
    func changes() {
        let changes = CompletionChange.between(["a": .completed, "b": .notCompleted, "c": .inTraining], ["a": .completed, "b": .completed, "c": .notCompleted, "d": .dropped])
        #expect(Set(changes.map(\.key)) == ["b", "c", "d"])
        let b = changes.first { $0.key == "b" }
        #expect(b?.before == .notCompleted && b?.after == .completed)
        #expect(changes.first { $0.key == "d" }?.before == nil)
    }

    @Test("serials are random, unambiguous and read back from what a person types")
    func serials() {
        var generator = SeededGenerator(seed: 7)
        let a = CertificateSerial(prefix: "kaist-mle 1", using: &generator)
        let b = CertificateSerial(prefix: "kaist-mle 1", using: &generator)
        #expect(a != b)
        #expect(a.value.hasPrefix("KAISTMLE1-") && a.value.count == "KAISTMLE1-".count + 11)
        #expect(!a.value.dropFirst(10).contains { "ILOU".contains($0) })
        #expect(CertificateSerial(typed: " " + a.value.lowercased() + " ") == a)
        #expect(CertificateSerial(typed: "KAIST-0OIL1-22222")?.value == "KAIST-00111-22222")
        #expect(CertificateSerial(typed: "KAIST-12345") == nil)
        #expect(CertificateSerial(typed: "KAIST-UUUUU-22222") == nil)
        #expect(CertificateSerial(typed: "KA\u{0}ST-12345-22222") == nil)
    }

    @Test("settlement in whole KRW: tuition per trainee, refund per completer, what is outstanding, and the change since the run before")
    func settlement() {
        let report = Settlement.report([
            .init(company: "B Corp", tuitionPerTrainee: 15_000_000, refundPerCompleter: 5_000_000, trainees: 2, completers: 1, completersBefore: 2,
                  invoiced: 30_000_000, paid: 10_000_000),
            .init(company: "A Corp", tuitionPerTrainee: 15_000_000, refundPerCompleter: 5_000_000, trainees: 1, completers: 1, completersBefore: nil,
                  invoiced: 0, paid: 0),
        ])
        #expect(report.lines.map(\.company) == ["A Corp", "B Corp"])
        #expect(report.lines[1] == .init(company: "B Corp", trainees: 2, tuitionDue: 30_000_000, invoiced: 30_000_000, paid: 10_000_000,
                                         outstanding: 20_000_000, completers: 1, refundDue: 5_000_000, refundChange: -5_000_000))
        #expect(report.totals.refundDue == 10_000_000 && report.totals.tuitionDue == 45_000_000 && report.totals.refundChange == -5_000_000)
        // KAIST's first cohort: 25 trainees, all complete.
        let kaist = Settlement.report([.init(company: "", tuitionPerTrainee: 15_000_000, refundPerCompleter: 5_000_000, trainees: 25, completers: 25,
                                             completersBefore: nil, invoiced: 375_000_000, paid: 375_000_000)])
        #expect(kaist.totals.refundDue == 125_000_000 && kaist.totals.outstanding == 0)
        #expect(Settlement.checkPayment(20_000_000, invoiced: 30_000_000, paid: 10_000_000))
        #expect(!Settlement.checkPayment(20_000_001, invoiced: 30_000_000, paid: 10_000_000) && !Settlement.checkPayment(0, invoiced: 1, paid: 0))
    }
}
