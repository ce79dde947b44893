import Foundation

/// Tuition and subsidy for sponsored seats, all in whole KRW: each company pays tuition for its
/// trainees; the funder refunds a fixed amount for each of them who completes (KAIST: 15,000,000
/// paid, 5,000,000 back per completer). Computed from records each time, never stored, so a
/// re-run of completion changes what is due and the difference shows.
public enum Settlement {
    /// One company's sponsorship in one cohort.
    public struct Input: Equatable, Sendable {
        public let company: String
        public let tuitionPerTrainee: Int
        public let refundPerCompleter: Int
        /// Its trainees (enrolled), those the latest completion run found completed, and those the
        /// run before found completed (nil when there was no run before).
        public let trainees: Int
        public let completers: Int
        public let completersBefore: Int?
        public let invoiced: Int
        public let paid: Int

        public init(company: String, tuitionPerTrainee: Int, refundPerCompleter: Int, trainees: Int, completers: Int, completersBefore: Int?,
                    invoiced: Int, paid: Int) {
            self.company = company
            self.tuitionPerTrainee = tuitionPerTrainee
            self.refundPerCompleter = refundPerCompleter
            self.trainees = trainees
            self.completers = completers
            self.completersBefore = completersBefore
            self.invoiced = invoiced
            self.paid = paid
        }
    }

    public struct Line: Equatable, Sendable {
        public let company: String
        public let trainees: Int
        /// What the company owes for its trainees, whether invoiced yet or not.
        public let tuitionDue: Int
        public let invoiced: Int
        public let paid: Int
        public let outstanding: Int
        public let completers: Int
        public let refundDue: Int
        /// Refund due now minus refund due after the run before (0 on a first run).
        public let refundChange: Int
    }

    public struct Report: Equatable, Sendable {
        public let lines: [Line]
        public let totals: Line
    }

    public static func report(_ inputs: [Input]) -> Report {
        let lines = inputs.sorted { $0.company < $1.company }.map { i in
            Line(company: i.company, trainees: i.trainees, tuitionDue: i.tuitionPerTrainee * i.trainees, invoiced: i.invoiced, paid: i.paid,
                 outstanding: max(0, i.invoiced - i.paid), completers: i.completers, refundDue: i.refundPerCompleter * i.completers,
                 refundChange: i.completersBefore.map { i.refundPerCompleter * (i.completers - $0) } ?? 0)
        }
        func sum(_ field: KeyPath<Line, Int>) -> Int { lines.reduce(0) { $0 + $1[keyPath: field] } }
        let totals = Line(company: "", trainees: sum(\.trainees), tuitionDue: sum(\.tuitionDue), invoiced: sum(\.invoiced), paid: sum(\.paid),
                          outstanding: sum(\.outstanding), completers: sum(\.completers), refundDue: sum(\.refundDue), refundChange: sum(\.refundChange))
        return Report(lines: lines, totals: totals)
    }

    /// A payment must be a positive whole amount no larger than what is still owed on the invoice.
    public static func checkPayment(_ amount: Int, invoiced: Int, paid: Int) -> Bool {
        amount > 0 && amount <= invoiced - paid
    }
}
