import Foundation

/// A recruitment round (모집) as staff set it up for a cohort.
public struct RoundDraft: Equatable, Sendable {
    public var opensAt: Date
    public var closesAt: Date
    public var capacity: Int
    /// Companies nominate their employees for sponsored places (the KAIST bootcamp's model).
    public var sponsored: Bool
    public var tuitionPerTrainee: Int?
    public var refundPerCompleter: Int?
    public var normalisation: SelectionRules.Normalisation
    public var tieBreaks: [SelectionRules.TieBreak]
    /// Reviewers see no names, ages or regions (a new round always starts blind).
    public var blindReview: Bool = true

    /// Reads `opens_at`/`closes_at` as `YYYY-MM-DDTHH:MM` (a browser's datetime-local) in `zone`.
    public static func parse(_ values: [String: String], zone: TimeZone) throws(ValidationFailure) -> RoundDraft {
        var reader = FieldReader(values)
        let opens = reader.raw("opens_at").map { Timestamps.parse($0, defaultZone: zone) }
        let closes = reader.raw("closes_at").map { Timestamps.parse($0, defaultZone: zone) }
        if opens == nil { reader.add(FieldIssue("opens_at", .required)) } else if opens! == nil { reader.add(FieldIssue("opens_at", .invalidDate)) }
        if closes == nil { reader.add(FieldIssue("closes_at", .required)) } else if closes! == nil { reader.add(FieldIssue("closes_at", .invalidDate)) }
        if let o = opens ?? nil, let c = closes ?? nil, c <= o { reader.add(FieldIssue("closes_at", .mustNotPrecede(field: "opens_at"))) }
        let capacity = reader.integer("capacity", in: CohortDraft.capacityRange)
        let normalisation = reader.raw("normalisation").map { SelectionRules.Normalisation(rawValue: $0) } ?? SelectionRules.Normalisation.none
        if normalisation == nil { reader.add(FieldIssue("normalisation", .unknownChoice)) }
        var tieBreaks: [SelectionRules.TieBreak] = []
        for part in (reader.raw("tie_breaks") ?? "").split(separator: ",") {
            guard let rule = SelectionRules.TieBreak(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                reader.add(FieldIssue("tie_breaks", .unknownChoice))
                break
            }
            if !tieBreaks.contains(rule) { tieBreaks.append(rule) }
        }
        if tieBreaks.isEmpty { tieBreaks = SelectionRules(criteria: []).tieBreaks }
        let sponsored = ["on", "true", "1", "yes"].contains(values["sponsored"] ?? "")
        let tuition = reader.integer("tuition_per_trainee", required: sponsored, in: 0...1_000_000_000)
        let refund = reader.integer("refund_per_completer", required: sponsored, in: 0...1_000_000_000)
        if let tuition, let refund, refund > tuition { reader.add(FieldIssue("refund_per_completer", .outOfRange(minimum: 0, maximum: tuition))) }
        try reader.check()
        return RoundDraft(opensAt: (opens ?? nil)!, closesAt: (closes ?? nil)!, capacity: capacity!, sponsored: sponsored,
                          tuitionPerTrainee: sponsored ? tuition : nil, refundPerCompleter: sponsored ? refund : nil,
                          normalisation: normalisation!, tieBreaks: tieBreaks, blindReview: ["on", "true", "1"].contains(values["blind_review"] ?? ""))
    }

    public func isOpen(at now: Date) -> Bool {
        now >= opensAt && now < closesAt
    }
}

/// A question of a round's application form.
public struct QuestionDraft: Equatable, Sendable, Codable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case text
        case singleChoice = "single_choice"
        case multipleChoice = "multiple_choice"
        case number
        case date
        case file
        /// A yes/no condition of eligibility: answering no means the application cannot be submitted.
        case eligibility
    }

    public static let labelLimit = 300
    public static let textLimit = 5_000

    public var key: String
    public var labelKorean: String
    public var labelEnglish: String
    public var kind: Kind
    public var required: Bool
    public var options: [String]

    public init(key: String, labelKorean: String, labelEnglish: String, kind: Kind, required: Bool, options: [String] = []) {
        self.key = key
        self.labelKorean = labelKorean
        self.labelEnglish = labelEnglish
        self.kind = kind
        self.required = required
        self.options = options
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> QuestionDraft {
        var reader = FieldReader(values)
        let key = reader.text("key", maxLength: 40)
        if let key, !key.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) || key.first?.isLetter != true {
            reader.add(FieldIssue("key", .invalidFormat))
        }
        let korean = reader.text("label_ko", maxLength: labelLimit)
        let english = reader.text("label_en", maxLength: labelLimit)
        let kind = reader.choice("kind", as: Kind.self)
        let options = (values["options"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let kind, kind == .singleChoice || kind == .multipleChoice {
            if options.count < 2 { reader.add(FieldIssue("options", .tooShort(minimum: 2))) }
            if Set(options).count != options.count { reader.add(FieldIssue("options", .alreadyTaken)) }
        }
        if options.contains(where: { $0.count > 200 }) { reader.add(FieldIssue("options", .tooLong(maximum: 200))) }
        try reader.check()
        return QuestionDraft(key: key!, labelKorean: korean!, labelEnglish: english!, kind: kind!,
                             required: kind == .eligibility || ["on", "true", "1"].contains(values["required"] ?? ""),
                             options: kind == .singleChoice || kind == .multipleChoice ? options : [])
    }

    /// The form field an answer arrives in.
    public var field: String { "q_\(key)" }

    /// Checks an answer (files are checked where they are uploaded). Multiple choices arrive
    /// joined by newlines.
    public func check(_ raw: String?, into reader: inout FieldReader) -> String? {
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            if required && kind != .file { reader.add(FieldIssue(field, .required)) }
            return nil
        }
        switch kind {
        case .text, .file:
            if text.count > Self.textLimit { reader.add(FieldIssue(field, .tooLong(maximum: Self.textLimit))); return nil }
        case .singleChoice:
            if !options.contains(text) { reader.add(FieldIssue(field, .unknownChoice)); return nil }
        case .multipleChoice:
            let chosen = text.split(whereSeparator: \.isNewline).map(String.init)
            if chosen.contains(where: { !options.contains($0) }) { reader.add(FieldIssue(field, .unknownChoice)); return nil }
        case .number:
            if Double(text) == nil || text.count > 20 { reader.add(FieldIssue(field, .notAWholeNumber)); return nil }
        case .date:
            if CalendarDate(iso: text) == nil { reader.add(FieldIssue(field, .invalidDate)); return nil }
        case .eligibility:
            if text != "yes" && text != "no" { reader.add(FieldIssue(field, .unknownChoice)); return nil }
            if text == "no" { reader.add(FieldIssue(field, .ineligible)); return nil }
        }
        return text
    }
}

/// The personal-information consent (개인정보 수집·이용 동의) applicants agree to. Each change is a
/// new version; every application keeps the version it agreed to.
public struct ConsentDraft: Equatable, Sendable {
    public static let limit = 5_000
    public var purpose: String
    public var items: String
    public var retention: String
    public var text: String

    public init(purpose: String, items: String, retention: String, text: String) {
        self.purpose = purpose
        self.items = items
        self.retention = retention
        self.text = text
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> ConsentDraft {
        var reader = FieldReader(values)
        let purpose = reader.text("purpose", maxLength: 1_000)
        let items = reader.text("items", maxLength: 1_000)
        let retention = reader.text("retention", maxLength: 300)
        let text = reader.text("text", required: false, maxLength: limit)
        try reader.check()
        return ConsentDraft(purpose: purpose!, items: items!, retention: retention!, text: text ?? "")
    }
}

/// A company's sponsorship of places in a sponsored cohort: the tuition it pays per trainee and
/// what the funder refunds for each trainee who completes.
public struct SponsorshipDraft: Equatable, Sendable {
    public var company: String
    public var tuitionPerTrainee: Int
    public var refundPerCompleter: Int

    public init(company: String, tuitionPerTrainee: Int, refundPerCompleter: Int) {
        self.company = company
        self.tuitionPerTrainee = tuitionPerTrainee
        self.refundPerCompleter = refundPerCompleter
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> SponsorshipDraft {
        var reader = FieldReader(values)
        let company = reader.text("company", maxLength: 120)
        let tuition = reader.integer("tuition_per_trainee", in: 0...1_000_000_000)
        let refund = reader.integer("refund_per_completer", in: 0...1_000_000_000)
        if let tuition, let refund, refund > tuition { reader.add(FieldIssue("refund_per_completer", .outOfRange(minimum: 0, maximum: tuition))) }
        try reader.check()
        return SponsorshipDraft(company: company!, tuitionPerTrainee: tuition!, refundPerCompleter: refund!)
    }
}

/// A rubric criterion's weight (a share of the criteria's total) and the scale its scores use.
public struct CriterionDraft: Equatable, Sendable {
    public var weight: Int
    public var scale: Int

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> CriterionDraft {
        var reader = FieldReader(values)
        let weight = reader.integer("weight", in: 0...100)
        let scale = reader.integer("scale", in: 1...1_000)
        try reader.check()
        return CriterionDraft(weight: weight!, scale: scale!)
    }
}
