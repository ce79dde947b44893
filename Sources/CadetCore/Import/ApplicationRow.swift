import Foundation

/// One applicant as an import file describes them, checked.
public struct ApplicationRow: Equatable, Sendable {
    public var line: Int
    public var name: String
    public var email: String
    public var birthDate: CalendarDate
    public var region: Region
    public var submittedAt: Date
    public var phone: String?
    public var gender: Gender?
    public var education: Education?
    public var majorField: MajorField?
    public var employmentStatus: EmploymentStatus?
    public var sponsorCompany: String?
    public var documentScore: Double?
    public var testScore: Double?
    public var interviewScore: Double?
    public var stage: ApplicationStage
    /// Answers to the round's own questions, by question key.
    public var answers: [String: String]

    public init(line: Int, name: String, email: String, birthDate: CalendarDate, region: Region, submittedAt: Date, phone: String?,
                gender: Gender?, education: Education?, majorField: MajorField?, employmentStatus: EmploymentStatus?,
                sponsorCompany: String?, documentScore: Double?, testScore: Double?, interviewScore: Double?,
                stage: ApplicationStage, answers: [String: String]) {
        self.line = line
        self.name = name
        self.email = email
        self.birthDate = birthDate
        self.region = region
        self.submittedAt = submittedAt
        self.phone = phone
        self.gender = gender
        self.education = education
        self.majorField = majorField
        self.employmentStatus = employmentStatus
        self.sponsorCompany = sponsorCompany
        self.documentScore = documentScore
        self.testScore = testScore
        self.interviewScore = interviewScore
        self.stage = stage
        self.answers = answers
    }
}

/// A problem in an import file, at a line and a column. The kind is a catalogue key with its
/// arguments, so the page and the command line say it in the reader's language.
public struct ImportProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case csv(CSVParser.Failure.Reason)
        case emptyFile
        case duplicateColumn
        case unknownColumn
        case unknownQuestion
        case missingColumn
        case tooManyRows(maximum: Int)
        case fieldCount(found: Int, expected: Int)
        case required
        case tooLong(maximum: Int)
        case notAnEmail(String)
        case notADate(String)
        case notARegion(String)
        case notATimestamp(String)
        case notOneOf(String, choices: [String])
        case notAScore(String)
        case notAStage(String)
        case sameEmailAs(line: Int)
        case alreadyApplied
        case noSponsorship(company: String)

        /// `import.problem.<key>` in the catalogue.
        public var key: String {
            switch self {
            case .csv(let reason): "csv_" + reason.rawValue
            case .emptyFile: "empty_file"
            case .duplicateColumn: "duplicate_column"
            case .unknownColumn: "unknown_column"
            case .unknownQuestion: "unknown_question"
            case .missingColumn: "missing_column"
            case .tooManyRows: "too_many_rows"
            case .fieldCount: "field_count"
            case .required: "required"
            case .tooLong: "too_long"
            case .notAnEmail: "not_an_email"
            case .notADate: "not_a_date"
            case .notARegion: "not_a_region"
            case .notATimestamp: "not_a_timestamp"
            case .notOneOf: "not_one_of"
            case .notAScore: "not_a_score"
            case .notAStage: "not_a_stage"
            case .sameEmailAs: "same_email_as"
            case .alreadyApplied: "already_applied"
            case .noSponsorship: "no_sponsorship"
            }
        }

        public var arguments: [String: String] {
            switch self {
            case .tooManyRows(let maximum), .tooLong(let maximum): ["maximum": String(maximum)]
            case .fieldCount(let found, let expected): ["found": String(found), "expected": String(expected)]
            case .notAnEmail(let value), .notADate(let value), .notARegion(let value), .notATimestamp(let value),
                 .notAScore(let value), .notAStage(let value): ["value": value]
            case .notOneOf(let value, let choices): ["value": value, "choices": choices.joined(separator: ", ")]
            case .sameEmailAs(let line): ["line": String(line)]
            case .noSponsorship(let company): ["company": company]
            default: [:]
            }
        }
    }

    public let line: Int
    public let column: String?
    public let kind: Kind

    public init(line: Int, column: String?, _ kind: Kind) {
        self.line = line
        self.column = column
        self.kind = kind
    }

    public var description: String {
        "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": \(kind.key) \(kind.arguments.sorted { $0.key < $1.key })"
    }
}

/// Reads an applications CSV all or nothing: every problem of every line is listed, and a file
/// with any problem yields no rows.
public struct ApplicationImport: Sendable {
    public static let required = ["name", "email", "birth_date", "region", "submitted_at"]
    public static let optional = ["phone", "gender", "education", "major_field", "employment_status", "sponsor_company",
                                  "document_score", "test_score", "interview_score", "status"]
    public static let maximumRows = 50_000

    /// The round's own question keys (`q:<key>` columns).
    public let questionKeys: Set<String>
    /// Dates and times without an offset are in this zone.
    public let timeZone: TimeZone

    public init(questionKeys: Set<String>, timeZone: TimeZone) {
        self.questionKeys = questionKeys
        self.timeZone = timeZone
    }

    public enum Outcome: Sendable {
        case rows([ApplicationRow])
        case problems([ImportProblem])
    }

    public func read(_ bytes: [UInt8], progress: (Int, Int) -> Void = { _, _ in }) -> Outcome {
        let records: [CSVParser.Record]
        do {
            records = try CSVParser().parse(bytes)
        } catch {
            return .problems([ImportProblem(line: error.line, column: "#\(error.column)", .csv(error.reason))])
        }
        guard let header = records.first else {
            return .problems([ImportProblem(line: 1, column: nil, .emptyFile)])
        }
        var problems: [ImportProblem] = []
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() {
            if index[column] != nil {
                problems.append(ImportProblem(line: header.line, column: column, .duplicateColumn))
            } else if Self.required.contains(column) || Self.optional.contains(column) {
                index[column] = position
            } else if column.hasPrefix("q:"), questionKeys.contains(String(column.dropFirst(2))) {
                index[column] = position
            } else {
                problems.append(ImportProblem(line: header.line, column: column, column.hasPrefix("q:") ? .unknownQuestion : .unknownColumn))
            }
        }
        for column in Self.required where index[column] == nil {
            problems.append(ImportProblem(line: header.line, column: column, .missingColumn))
        }
        if records.count - 1 > Self.maximumRows {
            problems.append(ImportProblem(line: header.line, column: nil, .tooManyRows(maximum: Self.maximumRows)))
        }
        guard problems.isEmpty else { return .problems(problems) }

        var rows: [ApplicationRow] = []
        rows.reserveCapacity(records.count - 1)
        var seenEmails: [String: Int] = [:]
        for (number, record) in records.dropFirst().enumerated() {
            if number % 500 == 0 { progress(number, records.count - 1) }
            var reader = RowReader(record: record, columns: index, timeZone: timeZone, header: columns.count)
            let row = reader.row()
            // Duplicates are found even on lines with other problems, so one pass shows them all.
            if let email = reader.email {
                if let first = seenEmails[email] {
                    reader.problems.append(ImportProblem(line: record.line, column: "email", .sameEmailAs(line: first)))
                } else {
                    seenEmails[email] = record.line
                    if let row { rows.append(row) }
                }
            }
            problems += reader.problems
        }
        progress(records.count - 1, records.count - 1)
        return problems.isEmpty ? .rows(rows) : .problems(problems)
    }
}

/// Reads one line's fields, collecting every problem.
struct RowReader {
    let record: CSVParser.Record
    let columns: [String: Int]
    let timeZone: TimeZone
    let header: Int
    var problems: [ImportProblem] = []
    /// The line's e-mail address once read, valid or not yet.
    private(set) var email: String?

    init(record: CSVParser.Record, columns: [String: Int], timeZone: TimeZone, header: Int) {
        self.record = record
        self.columns = columns
        self.timeZone = timeZone
        self.header = header
    }

    func value(_ column: String) -> String? {
        guard let position = columns[column], position < record.fields.count else { return nil }
        let text = record.fields[position].trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    mutating func problem(_ column: String, _ kind: ImportProblem.Kind) {
        problems.append(ImportProblem(line: record.line, column: column, kind))
    }

    mutating func required(_ column: String) -> String? {
        guard let text = value(column) else {
            problem(column, .required)
            return nil
        }
        return text
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let text = value(column) else { return nil }
        guard let choice = T(rawValue: text.lowercased()) else {
            problem(column, .notOneOf(text, choices: T.allCases.map(\.rawValue)))
            return nil
        }
        return choice
    }

    mutating func score(_ column: String) -> Double? {
        guard let text = value(column) else { return nil }
        guard let score = Double(text), score.isFinite, (0...100).contains(score) else {
            problem(column, .notAScore(text))
            return nil
        }
        return score
    }

    mutating func row() -> ApplicationRow? {
        if record.fields.count != header {
            problems.append(ImportProblem(line: record.line, column: nil, .fieldCount(found: record.fields.count, expected: header)))
            return nil
        }
        let name = required("name")
        if let name, name.count > AccountDraft.nameLimit { problem("name", .tooLong(maximum: AccountDraft.nameLimit)) }
        email = required("email").map(EmailAddress.normalise)
        if let address = email, !EmailAddress.isPlausible(address) {
            problem("email", .notAnEmail(address))
            email = nil
        }
        var birth: CalendarDate?
        if let text = required("birth_date") {
            birth = CalendarDate(iso: text)
            if birth == nil { problem("birth_date", .notADate(text)) }
        }
        var region: Region?
        if let text = required("region") {
            region = Region(name: text)
            if region == nil { problem("region", .notARegion(text)) }
        }
        var submitted: Date?
        if let text = required("submitted_at") {
            submitted = Timestamps.parse(text, defaultZone: timeZone)
            if submitted == nil { problem("submitted_at", .notATimestamp(text)) }
        }
        let gender = choice("gender", Gender.self)
        let education = choice("education", Education.self)
        let major = choice("major_field", MajorField.self)
        let employment = choice("employment_status", EmploymentStatus.self)
        let document = score("document_score"), test = score("test_score"), interview = score("interview_score")
        var stage = ApplicationStage.submitted
        if let text = value("status") {
            if let parsed = ApplicationStage(rawValue: text.lowercased()), parsed != .draft { stage = parsed } else {
                problem("status", .notAStage(text))
            }
        }
        let phone = value("phone")
        if let phone, phone.count > 30 { problem("phone", .tooLong(maximum: 30)) }
        var answers: [String: String] = [:]
        for (column, _) in columns where column.hasPrefix("q:") {
            if let answer = value(column) {
                if answer.count > 5_000 { problem(column, .tooLong(maximum: 5000)) }
                answers[String(column.dropFirst(2))] = answer
            }
        }
        guard problems.isEmpty, let name, let email, let birth, let region, let submitted else { return nil }
        return ApplicationRow(line: record.line, name: name, email: email, birthDate: birth, region: region, submittedAt: submitted,
                              phone: phone, gender: gender, education: education, majorField: major, employmentStatus: employment,
                              sponsorCompany: value("sponsor_company"), documentScore: document, testScore: test, interviewScore: interview,
                              stage: stage, answers: answers)
    }
}

/// ISO 8601 timestamps as people write them: with or without seconds, with `T` or a space,
/// and without an offset meaning the academy's time zone.
public enum Timestamps {
    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH[:]MM]`; nil for anything else.
    public static func parse(_ text: String, defaultZone: TimeZone) -> Date? {
        let chars = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for c in chars[range] {
                guard (48...57).contains(c) else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 16, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 32, chars[13] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16),
              CalendarDate(year: year, month: month, day: day) != nil, hour < 24, minute < 60 else { return nil }
        var position = 16
        var second = 0
        if position < chars.count, chars[position] == 58 {
            guard let s = number(position + 1..<position + 3), s < 60 else { return nil }
            second = s
            position += 3
            if position < chars.count, chars[position] == 46 {
                position += 1
                while position < chars.count, (48...57).contains(chars[position]) { position += 1 }
            }
        }
        var zone = defaultZone
        if position < chars.count {
            if chars[position] == 90, position == chars.count - 1 {
                zone = TimeZone(identifier: "UTC")!
            } else if chars[position] == 43 || chars[position] == 45 {
                let sign = chars[position] == 45 ? -1 : 1
                let rest = Array(chars[(position + 1)...]).filter { $0 != 58 }
                guard rest.count == 4, rest.allSatisfy({ (48...57).contains($0) }) else { return nil }
                let hours = Int(rest[0] - 48) * 10 + Int(rest[1] - 48), minutes = Int(rest[2] - 48) * 10 + Int(rest[3] - 48)
                guard hours <= 14, minutes < 60, let fixed = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60)) else { return nil }
                zone = fixed
            } else {
                return nil
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
