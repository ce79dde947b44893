import CadetCore
import Fluent
import Foundation

/// The demo's hiring partners: the 28 companies Gwangju signed hiring agreements with during its
/// second cohort, three postings open for the weeks after it is loaded, a recruit day two weeks on, and a few of cohort 2's graduates on their way through one.
struct HiringDemo {
    static let companies: [(String, Region)] = [
        ("광주데이터랩", .gwangju), ("빛고을소프트", .gwangju), ("무등AI", .gwangju), ("호남클라우드", .gwangju), ("첨단모빌리티", .gwangju),
        ("남도헬스케어", .jeonnam), ("영산강에너지", .jeonnam), ("상무로보틱스", .gwangju), ("첨단비전", .gwangju), ("광산스마트팩토리", .gwangju),
        ("전남바이오AI", .jeonnam), ("송정핀테크", .gwangju), ("양림콘텐츠", .gwangju), ("서석데이터", .gwangju), ("하남자율주행", .gwangju),
        ("월곡메디컬AI", .gwangju), ("진월에듀테크", .gwangju), ("금남로커머스", .gwangju), ("충장게임즈", .gwangju), ("운암에이전트", .gwangju),
        ("서울데이터랩", .seoul), ("한빛소프트웨어", .seoul), ("누리클라우드", .gyeonggi), ("가람AI", .seoul), ("판교비전", .gyeonggi),
        ("대덕인텔리전스", .daejeon), ("전북스마트농업", .jeonbuk), ("목포해양AI", .jeonnam),
    ]

    func load(on db: any Database) async throws -> Int {
        guard let programme = try await Programme.query(on: db).filter(\.$slug == "gwangju-ai").first(),
              try await Company.query(on: db).filter(\.$programme.$id == programme.requireID()).count() == 0 else { return 0 }
        let ref = DirectoryLookup.ProgrammeRef(programme: programme, id: try programme.requireID())
        let service = HiringService(database: db, actor: .demo, now: Date())
        var created = 0, made: [Company] = []
        for (index, (name, region)) in Self.companies.enumerated() {
            let company = try await service.addCompany(CompanyDraft(name: name, contactName: "채용 담당자 \(index + 1)",
                                                                    contactEmail: "hr\(index + 1)@partner\(index + 1).example", region: region), to: ref)
            // Signed through cohort 2 (June to November 2021), for two years, one to five hires each.
            try await service.addAgreement(AgreementDraft(signedOn: CalendarDate(year: 2021, month: 6 + index % 6, day: 1 + index % 27)!,
                                                          endsOn: CalendarDate(year: 2023, month: 6 + index % 6, day: 1 + index % 27)!, headcount: 1 + index % 5),
                                           to: company)
            made.append(company)
            created += 2
        }
        // Open for the weeks after the demo is loaded, whenever that is.
        let today = CalendarDate(Date(), in: TrainingDemo.zone)
        let postings = [
            (made[0], PostingDraft(title: "머신러닝 엔지니어 (ML engineer)", description: "추천 모델과 데이터 파이프라인을 만듭니다. Build recommender models and their data pipelines.",
                                   location: "광주 (Gwangju)", closesOn: today.adding(days: 60))),
            (made[2], PostingDraft(title: "컴퓨터 비전 연구원 (Computer-vision researcher)", description: "제조 불량 검출 모델. Defect-detection models for factories.",
                                   location: "광주 (Gwangju)", closesOn: today.adding(days: 75))),
            (made[21], PostingDraft(title: "데이터 분석가 (Data analyst)", description: "서비스 지표 분석과 대시보드. Product metrics and dashboards.",
                                    location: "서울 (Seoul)", closesOn: today.adding(days: 45))),
        ]
        var first: JobPosting?
        for (company, draft) in postings {
            let posting = try await service.addPosting(draft, by: company)
            first = first ?? posting
            created += 1
        }
        // A recruit day two weeks on: three companies interview from 10:00 to 12:00, 20 minutes each.
        let days = RecruitDayService(database: db, actor: .demo)
        let fair = try await days.create(RecruitDayDraft(title: "광주 AI 채용 박람회 (Gwangju AI job fair)", day: today.adding(days: 14),
                                                         place: "광주 AI 창업캠프 (Gwangju AI start-up camp)"), in: ref)
        for company in [made[0], made[2], made[4]] {
            created += try await days.addSlots(SlotsDraft(starts: Array(stride(from: 600, to: 720, by: 20)), length: 20), company: company, to: fair, zone: TrainingDemo.zone)
        }
        // Three of cohort 2's graduates still looking are on the first posting's way.
        if let posting = first, let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == ref.id).filter(\.$slug == "c2").first() {
            let looking = try await GraduateOutcome.query(on: db).filter(\.$cohort.$id == cohort.requireID()).filter(\.$status == .stillLooking)
                .with(\.$trainee).all().sorted { $0.trainee.email < $1.trainee.email }.prefix(3)
            for (index, outcome) in looking.enumerated() {
                let placement = try await service.apply(outcome.trainee, to: posting)
                if index > 0 { try await service.move(placement, to: .interviewing, note: "1차 면접 (first interview)", startsOn: nil) }
                if index > 1 { try await service.move(placement, to: .offered, note: "처우 협의 중 (discussing terms)", startsOn: nil) }
                created += 1
            }
        }
        return created
    }
}
