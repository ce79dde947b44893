/// Sign-up and password rules. Long passphrases beat composition rules (NIST SP 800-63B), so we
/// ask for length only, and cap it at bcrypt's 72-byte input so no part is silently ignored.
public struct AccountDraft: Equatable, Sendable {
    public static let nameLimit = 80
    public static let passwordMinimum = 10
    public static let passwordMaximumBytes = 72

    public var email: String
    public var name: String
    public var password: String

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> AccountDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", maxLength: nameLimit)
        let email = readEmail(&reader)
        let password = readNewPassword(&reader, values: values)
        try reader.check()
        return AccountDraft(email: email!, name: name!, password: password!)
    }

    static func readEmail(_ reader: inout FieldReader) -> String? {
        guard let raw = reader.text("email", maxLength: EmailAddress.maximumLength) else { return nil }
        let email = EmailAddress.normalise(raw)
        guard EmailAddress.isPlausible(email) else {
            reader.add(FieldIssue("email", .invalidFormat))
            return nil
        }
        return email
    }

    /// Reads `password` and its confirmation `password_confirm`; passwords are not trimmed.
    public static func readNewPassword(_ reader: inout FieldReader, values: [String: String]) -> String? {
        guard let password = values["password"], !password.isEmpty else {
            reader.add(FieldIssue("password", .required))
            return nil
        }
        if password.count < passwordMinimum {
            reader.add(FieldIssue("password", .tooShort(minimum: passwordMinimum)))
            return nil
        }
        if password.utf8.count > passwordMaximumBytes {
            reader.add(FieldIssue("password", .tooLong(maximum: passwordMaximumBytes)))
            return nil
        }
        if let confirmation = values["password_confirm"], confirmation != password {
            reader.add(FieldIssue("password_confirm", .mismatch(field: "password")))
            return nil
        }
        return password
    }
}
