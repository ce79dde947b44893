import Foundation

/// What a cohort's trainees must meet to complete (수료), configured per cohort; each change is a
/// new version and every completion run says which version it judged by.
public struct CompletionRules: Codable, Equatable, Sendable {
    /// Share of the planned hours attended (excused hours count as attended), as the hours
    /// ledger counts them. K-Digital Training practice: 80%.
    public var attendanceShare = 0.8
    /// A floor in attended hours on top of the share, where a funder sets one.
    public var minimumHours: Int?
    /// Who signs the certificates, in order ("총장 President of KAIST"), one per line on the
    /// form; kept with the rules so a re-issued certificate can say who signed the original.
    public var signatories: [String] = []

    public init(attendanceShare: Double = 0.8, minimumHours: Int? = nil, signatories: [String] = []) {
        self.attendanceShare = attendanceShare
        self.minimumHours = minimumHours
        self.signatories = signatories
    }

    /// Reads the rules form. The share is a whole percentage; an empty minimum means none.
    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> CompletionRules {
        var reader = FieldReader(values)
        let percent = reader.integer("attendance_percent", in: 1...100)
        let hours = reader.integer("minimum_hours", required: false, in: 1...5_000)
        let lines = reader.text("signatories", required: false, maxLength: 600)?
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        if lines.count > 3 { reader.add(FieldIssue("signatories", .outOfRange(minimum: 0, maximum: 3))) }
        try reader.check()
        return CompletionRules(attendanceShare: Double(percent!) / 100, minimumHours: hours, signatories: lines)
    }
}
