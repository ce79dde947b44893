/// Reads raw form values into typed ones, collecting every problem instead of stopping at the
/// first, so a form can name all its bad fields at once.
public struct FieldReader: Sendable {
    private let values: [String: String]
    /// Fields holding a NUL or another control character: refused whatever the field, since no
    /// one types them and they break e-mail headers, CSV files and C libraries downstream.
    private let refused: Set<String>
    public private(set) var issues: [FieldIssue] = []

    public init(_ values: [String: String]) {
        self.values = values
        refused = Set(values.filter { TextSafety.hasControlCharacters($0.value) }.keys)
    }

    /// The trimmed value, or nil when the field is absent or blank. A field holding a control
    /// character reads as absent, and is named once among the issues.
    public mutating func raw(_ field: String) -> String? {
        if refused.contains(field) {
            if !issues.contains(FieldIssue(field, .controlCharacters)) { issues.append(FieldIssue(field, .controlCharacters)) }
            return nil
        }
        guard let value = values[field]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// Notes a missing value unless the field was already refused for what it held.
    private mutating func missing(_ field: String, required: Bool) {
        if required && !refused.contains(field) { issues.append(FieldIssue(field, .required)) }
    }

    public mutating func text(_ field: String, required: Bool = true, minLength: Int = 1, maxLength: Int) -> String? {
        guard let value = raw(field) else {
            missing(field, required: required)
            return nil
        }
        if value.count > maxLength {
            issues.append(FieldIssue(field, .tooLong(maximum: maxLength)))
            return nil
        }
        if value.count < minLength {
            issues.append(FieldIssue(field, .tooShort(minimum: minLength)))
            return nil
        }
        return value
    }

    public mutating func integer(_ field: String, required: Bool = true, in range: ClosedRange<Int>) -> Int? {
        guard let value = raw(field) else {
            missing(field, required: required)
            return nil
        }
        guard value.count <= 12, let number = Int(value) else {
            issues.append(FieldIssue(field, .notAWholeNumber))
            return nil
        }
        guard range.contains(number) else {
            issues.append(FieldIssue(field, .outOfRange(minimum: range.lowerBound, maximum: range.upperBound)))
            return nil
        }
        return number
    }

    public mutating func date(_ field: String, required: Bool = true) -> CalendarDate? {
        guard let value = raw(field) else {
            missing(field, required: required)
            return nil
        }
        guard let date = CalendarDate(iso: value) else {
            issues.append(FieldIssue(field, .invalidDate))
            return nil
        }
        return date
    }

    public mutating func slug(_ field: String) -> String? {
        guard let value = text(field, minLength: Slug.minimumLength, maxLength: Slug.maximumLength) else {
            return nil
        }
        guard Slug.isValid(value) else {
            issues.append(FieldIssue(field, .invalidFormat))
            return nil
        }
        return value
    }

    public mutating func choice<T: RawRepresentable>(_ field: String, as type: T.Type) -> T? where T.RawValue == String {
        guard let value = raw(field) else {
            missing(field, required: true)
            return nil
        }
        guard let choice = T(rawValue: value) else {
            issues.append(FieldIssue(field, .unknownChoice))
            return nil
        }
        return choice
    }

    public mutating func add(_ issue: FieldIssue) {
        issues.append(issue)
    }

    /// Throws everything collected so far, if anything.
    public func check() throws(ValidationFailure) {
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}

import Foundation
