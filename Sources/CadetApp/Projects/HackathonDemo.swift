import CadetCore
import Fluent
import Foundation

/// The demo's hackathon, open in Gwangju's cohort 2: scikit-learn's breast-cancer data (the key
/// and six models' predictions made by Scripts/make-hackathon-demo.py), six teams of five from
/// the demo trainee's class, five of them with a scored submission from yesterday. The demo
/// trainee's team has none yet, so uploading `logistic.csv` shows a first score.
struct HackathonDemo {
    static let title = "유방암 진단 예측 해커톤 · Breast-cancer diagnosis hackathon"
    static let teams = ["알파고 키즈", "그래디언트", "랜덤포레스트", "이웃사촌", "베이즈", "한줄요약"]
    static let models = [nil, "boosting", "forest", "knn", "bayes", "stump"]
    static let trainee = "g2.t001@cadet.example"

    /// A file shipped in the bundle; one missing is a broken build, not a runtime condition.
    static func file(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Resources/Examples/hackathon"),
              let data = try? Data(contentsOf: url) else {
            fatalError("Resources/Examples/hackathon/\(name).csv is missing from the bundle")
        }
        return Array(data)
    }

    func load(on db: any Database, now: Date = Date()) async throws -> Int {
        guard let programme = try await Programme.query(on: db).filter(\.$slug == "gwangju-ai").first(),
              let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.requireID()).filter(\.$slug == "c2").first(),
              try await Hackathon.query(on: db).filter(\.$cohort.$id == cohort.requireID()).count() == 0,
              let trainee = try await User.query(on: db).filter(\.$email == Self.trainee).first(),
              let membership = try await ClassMember.query(on: db).filter(\.$user.$id == trainee.requireID()).filter(\.$cohort.$id == cohort.requireID()).first() else { return 0 }
        let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID())
        let classmates = try await ClassMember.query(on: db).filter(\.$trainingClass.$id == membership.$trainingClass.id).with(\.$user).all().map(\.user)
            .sorted { $0.email < $1.email }
        let yesterday = now.addingTimeInterval(-86_400)
        let service = HackathonService(database: db, actor: .demo, now: yesterday)
        let hackathon = try await service.create(HackathonDraft(
            title: Self.title,
            brief: """
            scikit-learn의 load_breast_cancer() 데이터(569건)로 악성(1) 여부의 확률을 예측합니다. 평가 행의 id는 데이터의 행 번호이며, 나머지 행으로 학습하세요. 예시 제출 파일에 평가 행이 모두 있습니다.
            Predict the probability that a tumour is malignant (1) in scikit-learn's load_breast_cancer() data (569 rows). An id is the row's index in the data; train on the rows not in the sample submission.
            """,
            metric: .rocAUC, publicPercent: 30, dailyCap: 5, finals: 2, deadline: now.addingTimeInterval(30 * 86_400)), key: Self.file("key"), in: ref)
        var created = 1
        for (index, name) in Self.teams.enumerated() where classmates.count >= (index + 1) * 5 {
            let members = classmates[(index * 5)..<((index + 1) * 5)]
            let team = try await service.addTeam(TeamDraft(name: name, emails: members.map(\.email)), to: hackathon, in: ref)
            created += 1 + members.count
            if let model = Self.models[index] {
                _ = try await service.submit(Self.file(model), filename: "\(model).csv", team: team, by: members.first!.id!, to: hackathon)
                created += 1
            }
        }
        try await LeaderboardScorer(database: db).step(now: yesterday)
        return created
    }
}
