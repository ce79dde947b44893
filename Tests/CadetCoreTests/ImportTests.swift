import Foundation
import Testing
@testable import CadetCore

@Suite("CSV and application import")
struct ImportTests {
    let seoul = TimeZone(identifier: "Asia/Seoul")!

    func parse(_ text: String) throws(CSVParser.Failure) -> [CSVParser.Record] {
        try CSVParser().parse(Array(text.utf8))
    }

    @Test("a byte-order mark, CRLF ends and quoted commas, quotes and line breaks are read right")
    func quoting() throws {
        let records = try parse("\u{FEFF}name,note\r\n\"Kim, Minjun\",\"said \"\"hi\"\"\nthen left\"\r\nLee,plain\r\n")
        #expect(records.count == 3)
        #expect(records[0].fields == ["name", "note"])
        #expect(records[1].fields == ["Kim, Minjun", "said \"hi\"\nthen left"])
        #expect(records[2].line == 4)
        #expect(records[2].fields == ["Lee", "plain"])
    }

    @Test("broken CSV names the line and column", arguments: [
        ("a,b\n\"open,x\n", 2, CSVParser.Failure.Reason.unterminatedQuote),
        ("a,b\nx,y\"z\n", 2, .quoteInsideField),
        ("a,b\nx,\"y\"z\n", 2, .quoteInsideField),
    ])
    func broken(text: String, line: Int, reason: CSVParser.Failure.Reason) {
        #expect(throws: CSVParser.Failure.self) { try parse(text) }
        do throws(CSVParser.Failure) { _ = try parse(text) } catch {
            #expect(error.line == line)
            #expect(error.reason == reason)
        }
    }

    @Test("invalid UTF-8 is refused with its place")
    func notUTF8() {
        let bytes = Array("name\n".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(throws: CSVParser.Failure(line: 2, column: 1, reason: .notUTF8)) { try CSVParser().parse(bytes) }
    }

    let header = "name,email,birth_date,region,submitted_at,gender,education,major_field,employment_status,test_score,q:motivation\n"

    @Test("a good file yields every row, with regions in Korean or English and times in Seoul by default")
    func goodFile() throws {
        let text = header
            + "김민준,Minjun@Example.org,1998-04-01,광주광역시,2024-03-05 14:30,male,bachelor,computing,student,88.5,\"배우고 싶어서, 정말로\"\n"
            + "Lee Seoyeon,seoyeon@example.org,1995-12-31,Gyeonggi,2024-03-05T14:30:00+00:00,female,master,humanities_other,employed,,\n"
        guard case .rows(let rows) = ApplicationImport(questionKeys: ["motivation"], timeZone: seoul).read(Array(text.utf8)) else {
            Issue.record("expected rows")
            return
        }
        #expect(rows.count == 2)
        #expect(rows[0].email == "minjun@example.org" && rows[0].region == .gwangju && rows[0].testScore == 88.5)
        #expect(rows[0].answers["motivation"] == "배우고 싶어서, 정말로")
        #expect(rows[1].region == .gyeonggi && rows[1].majorField == .humanitiesOther)
        // 14:30 in Seoul is 05:30 UTC; 14:30 UTC is 23:30 in Seoul.
        #expect(rows[1].submittedAt.timeIntervalSince(rows[0].submittedAt) == 9 * 3600)
    }

    @Test("a bad file lists every problem with line and column and yields nothing")
    func badFile() {
        let text = header
            + "김민준,not-an-email,1998-02-30,Atlantis,yesterday,robot,phd,art,retired,101,\n"
            + ",a@example.org,1990-01-01,Seoul,2024-03-05T10:00,,,,,,\n"
            + "박서연,a@example.org,1990-01-01,서울,2024-03-05T10:00,,,,,,\n"
            + "too,few,fields\n"
        guard case .problems(let problems) = ApplicationImport(questionKeys: ["motivation"], timeZone: seoul).read(Array(text.utf8)) else {
            Issue.record("expected problems")
            return
        }
        let found = Set(problems.map { "\($0.line):\($0.column ?? "-")" })
        for expected in ["2:email", "2:birth_date", "2:region", "2:submitted_at", "2:gender", "2:education", "2:major_field",
                         "2:employment_status", "2:test_score", "3:name", "4:email", "5:-"] {
            #expect(found.contains(expected), "missing \(expected) in \(problems)")
        }
        #expect(problems.first { $0.line == 4 && $0.column == "email" }?.kind == .sameEmailAs(line: 3))
    }

    @Test("the header must have the required columns and no unknown ones")
    func headerColumns() {
        let text = "name,email,region,colour,q:unknown\nx,y@z.org,Seoul,red,1\n"
        guard case .problems(let problems) = ApplicationImport(questionKeys: [], timeZone: seoul).read(Array(text.utf8)) else {
            Issue.record("expected problems")
            return
        }
        #expect(problems.allSatisfy { $0.line == 1 })
        #expect(Set(problems.compactMap(\.column)) == ["colour", "q:unknown", "birth_date", "submitted_at"])
    }

    @Test("all 17 regions by English, official Korean and short Korean names")
    func regions() {
        for region in Region.allCases {
            #expect(Region(name: region.englishName) == region)
            #expect(Region(name: region.koreanName) == region)
            #expect(Region(name: region.shortKoreanName) == region)
        }
        #expect(Region(name: "seoul") == .seoul)
        #expect(Region(name: "강원도") == .gangwon)
        #expect(Region(name: "Tokyo") == nil)
    }

    @Test("timestamps: with and without offset, seconds or fractions; nonsense refused")
    func timestamps() {
        let utc = TimeZone(identifier: "UTC")!
        #expect(Timestamps.parse("2024-03-05T14:30", defaultZone: seoul)?.timeIntervalSince1970 == 1_709_616_600)
        #expect(Timestamps.parse("2024-03-05T05:30:00Z", defaultZone: seoul)?.timeIntervalSince1970 == 1_709_616_600)
        #expect(Timestamps.parse("2024-03-05 14:30:00.250+0900", defaultZone: utc)?.timeIntervalSince1970 == 1_709_616_600)
        for bad in ["2024-03-05", "2024-13-05T10:00", "2024-03-05T25:00", "2024-03-05T10:00+99:00", "2024-03-05T10:00 KST", "tomorrow"] {
            #expect(Timestamps.parse(bad, defaultZone: seoul) == nil, "\(bad)")
        }
    }

    @Test("age bands are counted on a given day")
    func ages() throws {
        let day = try #require(CalendarDate(iso: "2024-04-02"))
        #expect(AgeBand(age: AgeBand.age(born: CalendarDate(iso: "1999-04-02")!, on: day)) == .from25to29)
        #expect(AgeBand(age: AgeBand.age(born: CalendarDate(iso: "1999-04-03")!, on: day)) == .under25)
        #expect(AgeBand(age: AgeBand.age(born: CalendarDate(iso: "1984-04-02")!, on: day)) == .from40)
        let bounds = AgeBand.from25to29.birthDates(on: day)
        #expect(bounds.earliest?.iso == "1994-04-03" && bounds.latest?.iso == "1999-04-02")
    }

    @Test("exported cells are quoted where needed and never run as formulas")
    func export() {
        #expect(CSVWriter.row(["a,b", "say \"x\"", "=HYPERLINK(\"evil\")", "-5", "plain"]) == "\"a,b\",\"say \"\"x\"\"\",\"'=HYPERLINK(\"\"evil\"\")\",-5,plain\r\n")
    }

    @Test("question answers are checked by kind")
    func questions() throws {
        let choice = QuestionDraft(key: "track", labelKorean: "과정", labelEnglish: "Track", kind: .singleChoice, required: true, options: ["AI", "Data"])
        let eligible = QuestionDraft(key: "resident", labelKorean: "거주", labelEnglish: "Resident", kind: .eligibility, required: true)
        var reader = FieldReader([:])
        #expect(choice.check("AI", into: &reader) == "AI")
        #expect(choice.check("Web", into: &reader) == nil)
        #expect(eligible.check("no", into: &reader) == nil)
        #expect(choice.check("", into: &reader) == nil)
        #expect(reader.issues.map(\.kind) == [.unknownChoice, .ineligible, .required])
        #expect(throws: ValidationFailure.self) { try QuestionDraft.parse(["key": "Bad Key", "label_ko": "x", "label_en": "x", "kind": "single_choice", "options": "only one"]) }
    }

    @Test("the recruitment report rounds the competition ratio to two decimals")
    func ratio() {
        #expect(RecruitmentReport.ratio(applicants: 1_045, capacity: 180) == 5.81)
        #expect(RecruitmentReport.ratio(applicants: 609, capacity: 180) == 3.38)
        #expect(RecruitmentReport.ratio(applicants: 712, capacity: 330) == 2.16)
    }
}
