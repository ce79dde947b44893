/// A hiring partner as staff enter it: the companies an academy works with, for projects and
/// for jobs.
public struct CompanyDraft: Equatable, Sendable {
    public let name: String
    public let contactName: String?
    public let contactEmail: String?
    public let region: Region?

    public init(name: String, contactName: String? = nil, contactEmail: String? = nil, region: Region? = nil) {
        self.name = name
        self.contactName = contactName
        self.contactEmail = contactEmail
        self.region = region
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> CompanyDraft {
        var reader = FieldReader(values)
        let name = reader.text("name", minLength: 2, maxLength: 120)
        let contact = reader.text("contact_name", required: false, maxLength: 80)
        var email: String?
        if let raw = reader.raw("contact_email") {
            email = EmailAddress.normalise(raw)
            if !EmailAddress.isPlausible(email!) { reader.add(FieldIssue("contact_email", .invalidFormat)) }
        }
        let region = reader.raw("region") == nil ? nil : reader.choice("region", as: Region.self)
        try reader.check()
        return CompanyDraft(name: name!, contactName: contact, contactEmail: email, region: region)
    }
}

/// A hiring agreement (채용 연계 협약): signed on a day, perhaps ending, with how many graduates
/// the company means to hire.
public struct AgreementDraft: Equatable, Sendable {
    public let signedOn: CalendarDate
    public let endsOn: CalendarDate?
    public let headcount: Int?

    public init(signedOn: CalendarDate, endsOn: CalendarDate? = nil, headcount: Int? = nil) {
        self.signedOn = signedOn
        self.endsOn = endsOn
        self.headcount = headcount
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> AgreementDraft {
        var reader = FieldReader(values)
        let signed = reader.date("signed_on")
        let ends = reader.date("ends_on", required: false)
        let headcount = reader.integer("headcount", required: false, in: 1...1_000)
        if let signed, let ends, ends < signed { reader.add(FieldIssue("ends_on", .mustNotPrecede(field: "signed_on"))) }
        try reader.check()
        return AgreementDraft(signedOn: signed!, endsOn: ends, headcount: headcount)
    }

    /// In force on some day of the period from `first` to `last`.
    public func covers(from first: CalendarDate, to last: CalendarDate) -> Bool {
        signedOn <= last && (endsOn.map { $0 >= first } ?? true)
    }
}

/// A job a partner company offers the academy's trainees and graduates.
public struct PostingDraft: Equatable, Sendable {
    public let title: String
    public let description: String
    public let location: String?
    public let closesOn: CalendarDate

    public init(title: String, description: String, location: String?, closesOn: CalendarDate) {
        self.title = title
        self.description = description
        self.location = location
        self.closesOn = closesOn
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> PostingDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 2, maxLength: 120)
        let description = reader.text("description", required: false, maxLength: 4_000) ?? ""
        let location = reader.text("location", required: false, maxLength: 120)
        let closes = reader.date("closes_on")
        try reader.check()
        return PostingDraft(title: title!, description: description, location: location, closesOn: closes!)
    }
}

/// Where a trainee stands with one posting. Placed and declined end the line; anything else may
/// move on, or back when an interview is rescheduled.
public enum PlacementStage: String, CaseIterable, Codable, Sendable {
    case applied, interviewing, offered, placed, declined

    public var isFinal: Bool { self == .placed || self == .declined }

    public func mayMove(to next: PlacementStage) -> Bool {
        !isFinal && next != self
    }
}
