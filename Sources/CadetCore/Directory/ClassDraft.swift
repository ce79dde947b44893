import Foundation

/// A class (반) within a cohort: a name, one dedicated instructor and one teaching assistant.
public struct ClassDraft: Equatable, Sendable {
    public static let nameLimit = 80

    public var name: String
    public var instructorEmail: String?
    public var assistantEmail: String?

    public init(name: String, instructorEmail: String? = nil, assistantEmail: String? = nil) {
        self.name = name
        self.instructorEmail = instructorEmail
        self.assistantEmail = assistantEmail
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> ClassDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", maxLength: nameLimit)
        let instructor = reader.raw("instructor_email").map(EmailAddress.normalise)
        let assistant = reader.raw("assistant_email").map(EmailAddress.normalise)
        if let instructor, !EmailAddress.isPlausible(instructor) { reader.add(FieldIssue("instructor_email", .invalidFormat)) }
        if let assistant, !EmailAddress.isPlausible(assistant) { reader.add(FieldIssue("assistant_email", .invalidFormat)) }
        if let instructor, instructor == assistant {
            reader.add(FieldIssue("assistant_email", .mismatch(field: "instructor_email")))
        }
        try reader.check()
        return ClassDraft(name: name!, instructorEmail: instructor, assistantEmail: assistant)
    }
}
