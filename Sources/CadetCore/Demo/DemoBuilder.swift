/// Builds the demo academy from the published figures (see DOMAIN.md).
struct DemoBuilder {
    private var generator = SeededGenerator(seed: 2020_0701)
    private var usedEmails: Set<String> = []

    // MARK: Gwangju AI Academy

    mutating func gwangjuAcademy() -> DemoAcademy.Programme {
        let programme = ProgrammeDraft(
            slug: "gwangju-ai",
            name: "광주 인공지능 사관학교 (Gwangju AI Academy)",
            description: "광주정보문화산업진흥원이 운영하고 광주광역시와 과학기술정보통신부가 지원하는 무료 AI 인재 양성 과정. "
                + "Run by the Gwangju Information & Culture Industry Promotion Agency, funded by the city and the Ministry of Science and ICT; free for trainees."
        )
        return .init(draft: programme, cohorts: [gwangjuCohort1(), gwangjuCohort2(), gwangjuCohort5()])
    }

    private mutating func gwangjuCohort1() -> DemoAcademy.Cohort {
        let draft = CohortDraft(slug: "c1", name: "1기 (2020)", capacity: 180,
                                startsOn: date("2020-07-01"), endsOn: date("2020-12-23"), targetHours: 960)
        // Admitted: 97 from Gwangju and 83 from elsewhere, shaped so that the 155 completers'
        // published regions (Seoul 30, Gyeonggi 22, Jeolla 15, …) can be drawn from them.
        let regions = Array.quota([
            (Region.gwangju, 97), (.seoul, 31), (.gyeonggi, 22), (.jeonnam, 8), (.jeonbuk, 7), (.incheon, 4),
            (.chungnam, 2), (.chungbuk, 2), (.gyeongnam, 2), (.gyeongbuk, 1), (.daegu, 2), (.busan, 2),
        ], using: &generator)
        let majors = Array.quota([
            (MajorField.computing, 75), (.ictElectronicsMath, 26), (.otherScienceEngineering, 38), (.humanitiesOther, 41),
        ], using: &generator)
        let genders = Array.quota([(Gender.male, 128), (.female, 52)], using: &generator)
        let trainees = people(count: 180, tag: "g1", regions: regions, majors: majors, genders: genders, bornFrom: 1985, to: 1999)
        let phases = [
            PhaseDraft(name: "AI 기초 (Foundations)", hours: 160),
            PhaseDraft(name: "중·고급 과정 (Intermediate and advanced courses)", hours: 320),
            PhaseDraft(name: "융합 프로젝트 (Convergence projects)", hours: 480),
        ]
        // 1,045 applicants for 180 places (5.81 : 1).
        let plan = ApplicantPlan(total: 1_045, others: [
            (.gwangju, 470), (.seoul, 120), (.gyeonggi, 95), (.jeonnam, 70), (.jeonbuk, 40), (.incheon, 20), (.daejeon, 14),
            (.chungnam, 8), (.chungbuk, 6), (.busan, 8), (.daegu, 6), (.gyeongnam, 4), (.gyeongbuk, 2), (.ulsan, 1), (.jeju, 1),
        ], opens: "2020-05-11T09:00", closes: "2020-06-05T18:00")
        return cohort(draft, phases: phases, classNames: (1...6).map { "\($0)반" }, trainees: trainees, tag: "g1", plan: plan)
    }

    private mutating func gwangjuCohort2() -> DemoAcademy.Cohort {
        let draft = CohortDraft(slug: "c2", name: "2기 (2021)", capacity: 180,
                                startsOn: date("2021-06-01"), endsOn: date("2021-12-24"), targetHours: 1_120)
        let regions = Array.quota([
            (Region.gwangju, 129), (.seoul, 15), (.gyeonggi, 12), (.jeonnam, 10), (.jeonbuk, 6), (.incheon, 2),
            (.daejeon, 2), (.chungnam, 1), (.gyeongnam, 1), (.busan, 1), (.daegu, 1),
        ], using: &generator)
        let majors = Array.quota([
            (MajorField.computing, 70), (.ictElectronicsMath, 30), (.otherScienceEngineering, 40), (.humanitiesOther, 40),
        ], using: &generator)
        let genders = Array.quota([(Gender.male, 122), (.female, 58)], using: &generator)
        let trainees = people(count: 180, tag: "g2", regions: regions, majors: majors, genders: genders, bornFrom: 1986, to: 2000)
        let phases = [
            PhaseDraft(name: "사전 과정 (Pre-course: AI introduction, programming basics)", hours: 160),
            PhaseDraft(name: "중·고급 과정 (Intermediate and advanced courses)", hours: 640),
            PhaseDraft(name: "프로젝트 (Common, corporate and self-directed projects)", hours: 320),
        ]
        // 609 applicants for 180 places (3.38 : 1).
        let plan = ApplicantPlan(total: 609, others: [
            (.gwangju, 233), (.seoul, 60), (.gyeonggi, 45), (.jeonnam, 45), (.jeonbuk, 20), (.incheon, 8), (.daejeon, 6),
            (.busan, 4), (.chungnam, 3), (.daegu, 2), (.gyeongnam, 2), (.chungbuk, 1),
        ], opens: "2021-04-12T09:00", closes: "2021-05-07T18:00")
        // Six classes, each with one dedicated instructor and one TA.
        return cohort(draft, phases: phases, classNames: (1...6).map { "\($0)반" }, trainees: trainees, tag: "g2", plan: plan)
    }

    private mutating func gwangjuCohort5() -> DemoAcademy.Cohort {
        let draft = CohortDraft(slug: "c5", name: "5기 (2024)", capacity: 330,
                                startsOn: date("2024-03-04"), endsOn: date("2024-12-27"), targetHours: 1_300)
        let regions = Array.quota([
            (Region.gwangju, 228), (.seoul, 24), (.gyeonggi, 18), (.incheon, 6), (.jeonnam, 24), (.jeonbuk, 12),
            (.daejeon, 4), (.chungnam, 3), (.chungbuk, 2), (.busan, 3), (.daegu, 2), (.gyeongnam, 2), (.gyeongbuk, 1), (.jeju, 1),
        ], using: &generator)
        let majors = Array.quota([
            (MajorField.computing, 140), (.ictElectronicsMath, 55), (.otherScienceEngineering, 70), (.humanitiesOther, 65),
        ], using: &generator)
        let genders = Array.quota([(Gender.male, 215), (.female, 115)], using: &generator)
        let trainees = people(count: 330, tag: "g5", regions: regions, majors: majors, genders: genders, bornFrom: 1988, to: 2003)
        let phases = [
            PhaseDraft(name: "공통 기초 (Common foundations)", hours: 300),
            PhaseDraft(name: "분야별 과정 (Field courses)", hours: 600),
            PhaseDraft(name: "프로젝트 (Projects)", hours: 400),
        ]
        // Three fields, seven courses: one class per course.
        let courses = [
            "AI 모델링 A (AI modelling A)", "AI 모델링 B (AI modelling B)", "AI 모델링 C (AI modelling C)",
            "AI 서비스 A (AI-based services A)", "AI 서비스 B (AI-based services B)",
            "AI 플랫폼 A (AI platform and infrastructure A)", "AI 플랫폼 B (AI platform and infrastructure B)",
        ]
        // 712 applicants: Gwangju 491, capital area 105, other regions 116 (the admitted 330 included).
        let plan = ApplicantPlan(total: 712, others: [
            (.gwangju, 263), (.seoul, 30), (.gyeonggi, 22), (.incheon, 5),
            (.jeonnam, 34), (.jeonbuk, 14), (.daejeon, 4), (.chungnam, 3), (.busan, 3), (.daegu, 1), (.gyeongnam, 2), (.gyeongbuk, 1),
        ], opens: "2024-01-15T09:00", closes: "2024-02-13T18:00")
        return cohort(draft, phases: phases, classNames: courses, trainees: trainees, tag: "g5", plan: plan)
    }

    // MARK: KAIST ML Engineer Bootcamp

    mutating func kaistBootcamp() -> DemoAcademy.Programme {
        let programme = ProgrammeDraft(
            slug: "kaist-mle",
            name: "KAIST 머신러닝 엔지니어 부트캠프 (KAIST ML Engineer Bootcamp)",
            description: "KAIST AI대학원과 서울시가 중소·중견기업 재직 개발자를 위해 운영하는 과정. "
                + "Run by the KAIST Graduate School of AI with the Seoul city government for in-house developers of small and mid-sized companies."
        )
        let draft = CohortDraft(slug: "c1", name: "1기", capacity: 25,
                                startsOn: date("2022-05-09"), endsOn: date("2022-07-05"), targetHours: 320)
        let regions = Array.quota([(Region.seoul, 17), (.gyeonggi, 6), (.incheon, 2)], using: &generator)
        let majors = Array.quota([(MajorField.computing, 18), (.ictElectronicsMath, 5), (.otherScienceEngineering, 2)], using: &generator)
        let genders = Array.quota([(Gender.male, 19), (.female, 6)], using: &generator)
        let trainees = people(count: 25, tag: "k1", regions: regions, majors: majors, genders: genders, bornFrom: 1983, to: 1996)
        let phases = [
            PhaseDraft(name: "수학·파이썬 (Mathematics and Python)", hours: 64),
            PhaseDraft(name: "머신러닝·딥러닝 (Machine learning and deep learning)", hours: 112),
            PhaseDraft(name: "텍스트 마이닝·추천 시스템 (Text mining and recommender systems)", hours: 64),
            PhaseDraft(name: "팀 캡스톤 (Team capstone)", hours: 80),
        ]
        // Companies apply and nominate their developers, 16–31 March; 25 are selected from 38 nominations.
        let plan = ApplicantPlan(total: 38, others: [(.seoul, 9), (.gyeonggi, 3), (.incheon, 1)],
                                 opens: "2022-03-16T09:00", closes: "2022-03-31T18:00", sponsored: true,
                                 companies: ["한빛소프트웨어", "서울데이터랩", "누리클라우드", "가람AI", "마루핀테크", "보라헬스케어", "새솔모빌리티", "온누리커머스"])
        return .init(draft: programme, cohorts: [cohort(draft, phases: phases, classNames: ["1반"], trainees: trainees, tag: "k1", plan: plan)])
    }

    // MARK: Logins

    /// One person per role who can sign in, each attached to real records of the demo.
    mutating func logins(gwangju: DemoAcademy.Programme, kaist: DemoAcademy.Programme) -> [DemoAcademy.Login] {
        let cohort2 = gwangju.cohorts[1]
        let firstClass = cohort2.classes[0]
        let kaistCohort = kaist.cohorts[0]
        return [
            .init(person: named("operator", "운영자 (Operator)"), role: .operator, programmeSlug: nil, cohortSlug: nil),
            .init(person: named("staff.gwangju", "광주 운영진 (Gwangju staff)"), role: .programmeStaff, programmeSlug: "gwangju-ai", cohortSlug: nil),
            .init(person: named("staff.kaist", "KAIST 운영진 (KAIST staff)"), role: .programmeStaff, programmeSlug: "kaist-mle", cohortSlug: nil),
            .init(person: firstClass.instructor, role: .instructor, programmeSlug: "gwangju-ai", cohortSlug: cohort2.draft.slug),
            .init(person: firstClass.assistant, role: .teachingAssistant, programmeSlug: "gwangju-ai", cohortSlug: cohort2.draft.slug),
            .init(person: cohort2.mentors[0], role: .mentor, programmeSlug: "gwangju-ai", cohortSlug: cohort2.draft.slug),
            .init(person: named("committee", "선정위원 (Committee member)"), role: .committeeMember, programmeSlug: "kaist-mle", cohortSlug: kaistCohort.draft.slug),
            .init(person: named("company", "기업 담당자 (Company contact)"), role: .companyContact, programmeSlug: "kaist-mle", cohortSlug: kaistCohort.draft.slug),
            .init(person: firstClass.trainees[0], role: .trainee, programmeSlug: "gwangju-ai", cohortSlug: cohort2.draft.slug),
        ]
    }

    // MARK: Helpers

    private mutating func cohort(_ draft: CohortDraft, phases: [PhaseDraft], classNames: [String],
                                 trainees: [DemoAcademy.Person], tag: String, plan: ApplicantPlan? = nil) -> DemoAcademy.Cohort {
        var classes: [DemoAcademy.TrainingClass] = []
        // Deal trainees into classes as evenly as the count allows.
        for (index, name) in classNames.enumerated() {
            let members = trainees.enumerated().filter { $0.offset % classNames.count == index }.map(\.element)
            let instructor = staffPerson(tag: "\(tag).instructor\(index + 1)")
            let assistant = staffPerson(tag: "\(tag).ta\(index + 1)")
            classes.append(.init(name: name, instructor: instructor, assistant: assistant, trainees: members))
        }
        let mentors = (1...3).map { staffPerson(tag: "\(tag).mentor\($0)") }
        let shell = DemoAcademy.Cohort(draft: draft, phases: phases, classes: classes, mentors: mentors, round: nil)
        let round = plan.map { DemoBuilder.round(for: shell, plan: $0, tag: tag) }
        return .init(draft: draft, phases: phases, classes: classes, mentors: mentors, round: round)
    }

    private mutating func people(count: Int, tag: String, regions: [Region], majors: [MajorField], genders: [Gender],
                                 bornFrom: Int, to lastYear: Int) -> [DemoAcademy.Person] {
        (0..<count).map { index in
            let name = KoreanNames.make(using: &generator)
            let year = Int.random(in: bornFrom...lastYear, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...28, using: &generator)
            return DemoAcademy.Person(
                email: unique("\(tag).t\(String(format: "%03d", index + 1))"),
                name: name.korean,
                region: regions[index], gender: genders[index], majorField: majors[index],
                birthDate: CalendarDate(year: year, month: month, day: day)
            )
        }
    }

    private mutating func staffPerson(tag: String) -> DemoAcademy.Person {
        let name = KoreanNames.make(using: &generator)
        return DemoAcademy.Person(email: unique(tag), name: name.korean, region: nil, gender: nil, majorField: nil, birthDate: nil)
    }

    private mutating func named(_ local: String, _ name: String) -> DemoAcademy.Person {
        DemoAcademy.Person(email: unique(local), name: name, region: nil, gender: nil, majorField: nil, birthDate: nil)
    }

    private mutating func unique(_ local: String) -> String {
        let email = "\(local)@\(DemoAcademy.emailDomain)"
        precondition(usedEmails.insert(email).inserted, "demo e-mail used twice: \(email)")
        return email
    }

    private func date(_ iso: String) -> CalendarDate {
        CalendarDate(iso: iso)!
    }
}

import Foundation
