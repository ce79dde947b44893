/// The facts an applicant gives about themselves, checked. A draft may leave them blank; a
/// submitted application may not leave out the required ones.
public struct ApplicantProfile: Equatable, Sendable {
    public var name: String?
    public var phone: String?
    public var birthDate: CalendarDate?
    public var region: Region?
    public var gender: Gender?
    public var education: Education?
    public var majorField: MajorField?
    public var employmentStatus: EmploymentStatus?

    public static let requiredForSubmission = ["name", "birth_date", "region"]

    public init(name: String? = nil, phone: String? = nil, birthDate: CalendarDate? = nil, region: Region? = nil, gender: Gender? = nil,
                education: Education? = nil, majorField: MajorField? = nil, employmentStatus: EmploymentStatus? = nil) {
        self.name = name
        self.phone = phone
        self.birthDate = birthDate
        self.region = region
        self.gender = gender
        self.education = education
        self.majorField = majorField
        self.employmentStatus = employmentStatus
    }

    /// Reads the profile fields; bad values are problems even in a draft, blanks only on submission.
    public static func read(_ values: [String: String], into reader: inout FieldReader, submitting: Bool) -> ApplicantProfile {
        var profile = ApplicantProfile()
        profile.name = reader.text("name", required: submitting, maxLength: AccountDraft.nameLimit)
        profile.phone = reader.text("phone", required: false, maxLength: 30)
        if let phone = profile.phone, !phone.allSatisfy({ $0.isNumber || "+- ()".contains($0) }) {
            reader.add(FieldIssue("phone", .invalidFormat))
        }
        profile.birthDate = reader.date("birth_date", required: submitting)
        if let birth = profile.birthDate, birth.year < 1920 || birth.year > 2015 {
            reader.add(FieldIssue("birth_date", .invalidDate))
        }
        func optional<T: RawRepresentable>(_ field: String, _ type: T.Type, required: Bool = false) -> T? where T.RawValue == String {
            guard let raw = reader.raw(field) else {
                if required { reader.add(FieldIssue(field, .required)) }
                return nil
            }
            guard let value = T(rawValue: raw) else {
                reader.add(FieldIssue(field, .unknownChoice))
                return nil
            }
            return value
        }
        profile.region = optional("region", Region.self, required: submitting)
        profile.gender = optional("gender", Gender.self)
        profile.education = optional("education", Education.self)
        profile.majorField = optional("major_field", MajorField.self)
        profile.employmentStatus = optional("employment_status", EmploymentStatus.self)
        return profile
    }
}
