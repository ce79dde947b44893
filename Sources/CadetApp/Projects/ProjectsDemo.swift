import CadetCore
import Fluent
import Foundation

/// The demo's team projects, as Gwangju ran them: cohort 1's 33 corporate projects from 11 partner
/// companies; cohort 2's 39 teams (10 common, 19 corporate, 10 free-topic). Every trainee ranked
/// five projects (seeded, so every load is the same), the matching made the teams, and the
/// cohort's mentors and instructors guide them, up to four teams each.
struct ProjectsDemo {
    /// The convergence fields of Gwangju's projects (DOMAIN.md).
    static let fields = [("자율주행 (Autonomous driving)", "차량 센서 데이터 (vehicle sensor logs)"), ("에너지 (Energy)", "전력 수요 시계열 (power-demand series)"),
                         ("헬스케어 (Healthcare)", "비식별 진료 기록 (de-identified clinical records)"), ("문화콘텐츠 (Culture content)", "관람객 리뷰 (visitor reviews)"),
                         ("스마트팩토리 (Smart factory)", "공정 이미지 (production-line images)"), ("핀테크 (Fintech)", "거래 기록 (transaction logs)")]
    static let tasks = ["예측 모델 (forecasting model)", "이상 탐지 (anomaly detection)", "추천 시스템 (recommender)", "비전 검사 (vision inspection)", "챗봇 (chatbot)"]

    func load(on db: any Database) async throws -> Int {
        guard let programme = try await Programme.query(on: db).filter(\.$slug == "gwangju-ai").first() else { return 0 }
        let companies = try await Company.query(on: db).filter(\.$programme.$id == programme.requireID()).all()
        let ordered = HiringDemo.companies.compactMap { name in companies.first { $0.name == name.0 } }
        guard ordered.count >= 19 else { return 0 }
        var created = 0
        for (slug, plan) in [("c1", Plan(common: 0, corporate: Array(ordered.prefix(11)), perCompany: 3, free: 0, size: 5...6)),
                             ("c2", Plan(common: 10, corporate: Array(ordered.prefix(19)), perCompany: 1, free: 10, size: 4...5))] {
            guard let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.requireID()).filter(\.$slug == slug).first(),
                  try await ProjectProposal.query(on: db).filter(\.$cohort.$id == cohort.requireID()).count() == 0 else { continue }
            let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID())
            created += try await load(plan, in: ref, on: db)
            if slug == "c2" { created += try await showcase(in: ref, on: db) }
        }
        return created
    }

    struct Plan { let common: Int; let corporate: [Company]; let perCompany: Int; let free: Int; let size: ClosedRange<Int> }

    private func load(_ plan: Plan, in ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> Int {
        let service = ProjectService(database: db, actor: .demo, now: Date())
        let trainees = try await ClassMember.query(on: db).filter(\.$cohort.$id == ref.id).with(\.$user).all().map(\.user).sorted { $0.email < $1.email }
        guard let staff = try await User.query(on: db).filter(\.$email == "staff.gwangju@cadet.example").first() else { return 0 }
        var projects: [ProjectProposal] = []
        var n = 0
        func draft(_ title: String) -> ProjectDraft {
            let (field, data) = Self.fields[n % Self.fields.count]
            defer { n += 1 }
            return ProjectDraft(title: title, problem: "\(field) 분야의 \(Self.tasks[n % Self.tasks.count])를 만들고 현장에서 검증합니다. Build and field-test a \(Self.tasks[n % Self.tasks.count]) for \(field).",
                                data: data, skills: "Python, PyTorch, SQL", teamMin: plan.size.lowerBound, teamMax: plan.size.upperBound)
        }
        for i in 0..<plan.common {
            projects.append(try await service.propose(draft("공통과제 \(i + 1): \(Self.fields[i % Self.fields.count].0)"), kind: .common, company: nil, by: staff.requireID(), approved: true, in: ref))
        }
        for company in plan.corporate {
            for i in 0..<plan.perCompany {
                let title = "\(company.name) 기업과제 \(i + 1): \(Self.tasks[(n + i) % Self.tasks.count])"
                let proposal = try await service.propose(draft(title), kind: .corporate, company: company, by: staff.requireID(), approved: false, in: ref)
                try await service.decide(proposal, approve: true, in: ref)
                projects.append(proposal)
            }
        }
        // Free-topic ideas from every eighteenth trainee, approved; their proposers stay on them.
        for i in 0..<plan.free where i * 18 < trainees.count {
            let proposal = try await service.propose(draft("자유과제 \(i + 1): \(Self.tasks[i % Self.tasks.count])"), kind: .freeTopic, company: nil, by: trainees[i * 18].requireID(), approved: false, in: ref)
            try await service.decide(proposal, approve: true, in: ref)
            projects.append(proposal)
        }
        var rng = SeededGenerator(seed: UInt64(ref.cohort.slug.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        for trainee in trainees {
            let ranking = Array(projects.map { $0.id!.uuidString.lowercased() }.shuffled(using: &rng).prefix(PreferenceDraft.limit))
            try await service.savePreferences(PreferenceDraft(ranking: ranking), of: trainee.requireID(), in: ref)
        }
        _ = try await service.match(in: ref)
        var created = projects.count + trainees.count
        let people = try await ProjectLookup.mentors(for: ref, on: db).filter { $0.1 != .programmeStaff && $0.1 != .companyContact }
        for (index, project) in projects.enumerated() where index / MentorRules.teamsPerMentor < people.count {
            let (person, role) = people[index / MentorRules.teamsPerMentor]
            try await service.assignMentor(person, kind: role == .mentor ? .mentor : .instructor, to: project, in: ref)
            created += 1
        }
        return created
    }

    /// Cohort 2's showcase on its last day: five judges mark every team they may (each team has a
    /// seeded quality the marks follow, give or take a point), compare eight pairs each, and the
    /// best three by the rubric get the grand, excellence and merit prizes. The page is public.
    private func showcase(in ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> Int {
        let service = ShowcaseService(database: db, actor: .demo, now: Date())
        guard let day = CalendarDate(iso: ref.cohort.endsOn) else { return 0 }
        let showcase = try await service.save(ShowcaseDraft(title: "2기 성과보고회 (Cohort 2 showcase)", heldOn: day, place: "광주 AI 창업캠프 (Gwangju AI start-up camp)",
                                                            published: true), in: ref)
        let judges = try await ProjectLookup.people(holding: ShowcaseService.judgeRoles, over: ref, on: db).filter { $0.1 != .programmeStaff }.prefix(5).map(\.0)
        var rng = SeededGenerator(seed: 2021_1126)
        let projects = try await ProjectProposal.query(on: db).filter(\.$cohort.$id == ref.id).filter(\.$status == .approved).sort(\.$title).all()
        let quality = Dictionary(uniqueKeysWithValues: projects.map { ($0.id!, Int.random(in: 2...5, using: &rng)) })
        var created = 1
        for judge in judges {
            try await service.addJudge(judge, to: showcase, in: ref)
            for (project, recusal) in try await service.teams(for: judge, in: ref) where recusal == nil {
                let marks = showcase.rubric.criteria.map { _ in min(5, max(1, quality[project.id!]! + Int.random(in: -1...1, using: &rng))) }
                try await service.mark(project, marks: marks, by: judge, in: showcase, ref: ref)
                created += 1
            }
            for _ in 0..<8 {
                guard let (a, b) = try await service.nextPair(for: judge, in: showcase, ref: ref) else { break }
                let aFirst = quality[a.id!]! > quality[b.id!]! || (quality[a.id!]! == quality[b.id!]! && Bool.random(using: &rng))
                try await service.vote(winner: aFirst ? a.id! : b.id!, loser: aFirst ? b.id! : a.id!, by: judge, in: showcase, ref: ref)
                created += 1
            }
        }
        let results = try await service.results(showcase, in: ref)
        for (title, result) in zip(["대상 (Grand prize)", "최우수상 (Excellence prize)", "우수상 (Merit prize)"], results) {
            try await service.award(title, to: result.project, on: day, in: showcase, ref: ref)
            created += 1
        }
        return created
    }
}
