/// What staff type to create or rename a programme, checked.
public struct ProgrammeDraft: Equatable, Sendable {
    public static let nameLimit = 120
    public static let descriptionLimit = 2_000

    public var slug: String
    public var name: String
    public var description: String

    public init(slug: String, name: String, description: String = "") {
        self.slug = slug
        self.name = name
        self.description = description
    }

    /// Validates raw form or command-line values; names every bad field.
    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> ProgrammeDraft {
        var reader = FieldReader(values)
        let slug = reader.slug("slug")
        let name = reader.text("name", maxLength: nameLimit)
        let description = reader.text("description", required: false, maxLength: descriptionLimit)
        try reader.check()
        return ProgrammeDraft(slug: slug!, name: name!, description: description ?? "")
    }
}
