/// A showcase's scoring rubric: criteria with weights, each marked 1 to 5 by every judge.
public struct Rubric: Codable, Equatable, Sendable {
    public struct Criterion: Codable, Equatable, Sendable {
        public let label: String
        public let weight: Int
        public init(label: String, weight: Int) {
            self.label = label
            self.weight = weight
        }
    }

    public let criteria: [Criterion]
    public init(criteria: [Criterion]) { self.criteria = criteria }

    public static let marks = 1...5

    /// Gwangju's showcase rubric: the problem, the technique, its use and the presentation.
    public static let standard = Rubric(criteria: [
        Criterion(label: "문제 정의 (Problem)", weight: 25), Criterion(label: "기술 완성도 (Technique)", weight: 35),
        Criterion(label: "활용성 (Usefulness)", weight: 25), Criterion(label: "발표 (Presentation)", weight: 15),
    ])

    /// The rubric as staff write it: one criterion a line, `label, weight`.
    public var text: String { criteria.map { "\($0.label), \($0.weight)" }.joined(separator: "\n") }

    public static func parse(_ text: String, field: String = "rubric") throws(ValidationFailure) -> Rubric {
        var criteria: [Criterion] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            guard let comma = line.lastIndex(of: ","), let weight = Int(line[line.index(after: comma)...].trimmingCharacters(in: .whitespaces)), (1...100).contains(weight) else {
                throw ValidationFailure([FieldIssue(field, .invalidFormat)])
            }
            let label = line[..<comma].trimmingCharacters(in: .whitespaces)
            guard (1...80).contains(label.count) else { throw ValidationFailure([FieldIssue(field, .invalidFormat)]) }
            criteria.append(Criterion(label: label, weight: weight))
        }
        guard (1...10).contains(criteria.count) else { throw ValidationFailure([FieldIssue(field, .outOfRange(minimum: 1, maximum: 10))]) }
        return Rubric(criteria: criteria)
    }

    /// One judge's marks (one per criterion) as points out of 100.
    public func points(_ marks: [Int]) -> Double {
        let total = criteria.map(\.weight).reduce(0, +)
        guard marks.count == criteria.count, total > 0 else { return 0 }
        return zip(criteria, marks).map { Double($0.weight * $1) }.reduce(0, +) / Double(total * Self.marks.upperBound) * 100
    }

    /// A judge's marking form: `mark_1` … `mark_n`, each 1–5.
    public func parseMarks(_ values: [String: String]) throws(ValidationFailure) -> [Int] {
        var reader = FieldReader(values)
        let marks = criteria.indices.map { reader.integer("mark_\($0 + 1)", in: Self.marks) }
        try reader.check()
        return marks.map { $0! }
    }
}

/// Why a judge may not score a team: they mentor it, they speak for the company whose problem it
/// is, or they are on it. A recused judge is never shown the team, in the rubric or in a pair.
public enum Recusal: String, Equatable, Sendable {
    case mentor, company, member

    public static func reason(mentorsTeam: Bool, contactOfTeamsCompany: Bool, onTeam: Bool) -> Recusal? {
        if onTeam { return .member }
        if mentorsTeam { return .mentor }
        if contactOfTeamsCompany { return .company }
        return nil
    }
}

/// A showcase as staff set it up.
public struct ShowcaseDraft: Equatable, Sendable {
    public let title: String
    public let heldOn: CalendarDate
    public let place: String
    public let rubric: Rubric
    public let pairwise: Bool
    public let published: Bool

    public init(title: String, heldOn: CalendarDate, place: String, rubric: Rubric = .standard, pairwise: Bool = true, published: Bool = false) {
        self.title = title
        self.heldOn = heldOn
        self.place = place
        self.rubric = rubric
        self.pairwise = pairwise
        self.published = published
    }

    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> ShowcaseDraft {
        var reader = FieldReader(values)
        let title = reader.text("title", minLength: 3, maxLength: 120)
        let day = reader.date("held_on")
        let place = reader.text("place", required: false, maxLength: 200) ?? ""
        let text = reader.text("rubric", maxLength: 2000)
        var issues = reader.issues
        var rubric: Rubric?
        if let text { do { rubric = try Rubric.parse(text) } catch { issues += error.issues } }
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return ShowcaseDraft(title: title!, heldOn: day!, place: place, rubric: rubric!, pairwise: values["pairwise"] == "on", published: values["published"] == "on")
    }
}
