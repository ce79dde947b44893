/// A person staff add by hand (an instructor, a company contact) before they have signed up.
public struct PersonDraft: Equatable, Sendable {
    public var name: String
    public var email: String

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> PersonDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", maxLength: AccountDraft.nameLimit)
        let email = AccountDraft.readEmail(&reader)
        try reader.check()
        return PersonDraft(name: name!, email: email!)
    }
}
