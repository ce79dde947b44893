/// Where a cohort's team project comes from: the academy's common brief (공통과제), a partner
/// company's problem (기업과제) or the trainees' own idea (자유과제).
public enum ProjectKind: String, Codable, CaseIterable, Sendable {
    case common
    case corporate
    case freeTopic = "free_topic"
}

/// A proposal waits for staff; only approved projects are ranked, matched and staffed.
public enum ProposalStatus: String, Codable, CaseIterable, Sendable {
    case proposed, approved, declined
}

/// A team project as its proposer's form gives it: what the problem is, what data comes with it,
/// which skills it needs and how many trainees a team takes.
public struct ProjectDraft: Equatable, Sendable {
    public let title: String
    public let problem: String
    public let data: String
    public let skills: String
    public let teamMin: Int
    public let teamMax: Int

    public init(title: String, problem: String, data: String = "", skills: String = "", teamMin: Int, teamMax: Int) {
        self.title = title
        self.problem = problem
        self.data = data
        self.skills = skills
        self.teamMin = teamMin
        self.teamMax = teamMax
    }

    public static let sizes = 1...12

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> ProjectDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 3, maxLength: 120)
        let problem = reader.text("problem", minLength: 10, maxLength: 4000)
        let data = reader.text("data", required: false, maxLength: 2000) ?? ""
        let skills = reader.text("skills", required: false, maxLength: 400) ?? ""
        let low = reader.integer("team_min", in: sizes)
        let high = reader.integer("team_max", in: sizes)
        if let low, let high, high < low { reader.add(FieldIssue("team_max", .outOfRange(minimum: low, maximum: sizes.upperBound))) }
        try reader.check()
        return ProjectDraft(title: title!, problem: problem!, data: data, skills: skills, teamMin: low!, teamMax: high!)
    }
}

/// A trainee's ranking of the approved projects, most wanted first, as the preference form gives
/// it: `choice_1` … `choice_5`, each one project's id or blank.
public struct PreferenceDraft: Equatable, Sendable {
    public let ranking: [String]

    public init(ranking: [String]) { self.ranking = ranking }

    public static let limit = 5
    public static let fields = (1...limit).map { "choice_\($0)" }

    /// `projects` are the ids the form offered; a project named twice, or one not offered, is
    /// refused at the field that names it.
    public static func parse(_ values: [String: String], projects: Set<String>) throws(ValidationFailure) -> PreferenceDraft {
        var reader = FieldReader(values)
        var ranking: [String] = []
        for field in fields {
            guard let project = reader.raw(field) else { continue }
            if !projects.contains(project) { reader.add(FieldIssue(field, .unknownChoice)) }
            else if ranking.contains(project) { reader.add(FieldIssue(field, .alreadyTaken)) }
            else { ranking.append(project) }
        }
        try reader.check()
        return PreferenceDraft(ranking: ranking)
    }
}

/// A milestone every team of a cohort reaches by a day: an interim report, a demo, the final.
public struct MilestoneDraft: Equatable, Sendable {
    public let title: String
    public let dueOn: CalendarDate
    public let description: String

    public init(title: String, dueOn: CalendarDate, description: String = "") {
        self.title = title
        self.dueOn = dueOn
        self.description = description
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> MilestoneDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 2, maxLength: 120)
        let due = reader.date("due_on")
        let description = reader.text("description", required: false, maxLength: 2000) ?? ""
        try reader.check()
        return MilestoneDraft(title: title!, dueOn: due!, description: description)
    }
}

/// What a team hands in for a milestone: a link (a repository, a demo, slides) and a note; a
/// file may come beside it. A link must be http or https.
public struct DeliverableDraft: Equatable, Sendable {
    public let link: String?
    public let note: String

    public init(link: String?, note: String = "") {
        self.link = link
        self.note = note
    }

    public static func parse(_ values: [String: String], hasFile: Bool) throws(ValidationFailure) -> DeliverableDraft {
        var reader = FieldReader(values)
        let link = reader.text("link", required: false, maxLength: 500)
        let note = reader.text("note", required: false, maxLength: 2000) ?? ""
        if let link, !(link.hasPrefix("https://") || link.hasPrefix("http://")) || link.contains(where: \.isWhitespace) {
            reader.add(FieldIssue("link", .invalidFormat))
        }
        if link == nil, !hasFile, !reader.issues.contains(where: { $0.field == "link" }) { reader.add(FieldIssue("link", .required)) }
        try reader.check()
        return DeliverableDraft(link: link, note: note)
    }
}
