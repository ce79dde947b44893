/// One problem with one input field, in words a person can be shown.
///
/// The domain names the field and the kind of problem; the application turns that into a
/// sentence in the reader's language (`issue.<kind>` in the i18n catalogue).
public struct FieldIssue: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case required
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case invalidFormat
        case notAWholeNumber
        case outOfRange(minimum: Int, maximum: Int)
        case invalidDate
        case mustNotPrecede(field: String)
        case alreadyTaken
        case unknownChoice
        /// An e-mail address that should name someone with an account, and does not.
        case noAccount
        /// An eligibility condition answered no.
        case ineligible
        /// Changes that the deadline no longer allows.
        case closed
        case mismatch(field: String)
        /// A NUL or another control character that no one types.
        case controlCharacters
        /// A span of time (a session, from its start to this field) shorter than the least allowed.
        case lastsUnder(minutes: Int)
    }

    public let field: String
    public let kind: Kind

    public init(_ field: String, _ kind: Kind) {
        self.field = field
        self.kind = kind
    }
}

/// Everything wrong with one submitted form, so a person can fix it all in one go.
public struct ValidationFailure: Error, Equatable, Sendable {
    public let issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }

    public func issue(for field: String) -> FieldIssue? {
        issues.first { $0.field == field }
    }
}
