import CadetCore
import Fluent
import Foundation
import SQLKit

/// The demo cohorts' recruitment: a closed round each, with applicants whose breakdowns are the
/// published figures, ranked by the same rules staff use, the trainees admitted and enrolled.
struct RecruitmentDemo {
    let academy: DemoAcademy

    func load(on db: any Database) async throws -> Int {
        var created = 0
        for programmeData in academy.programmes {
            guard let programme = try await Programme.query(on: db).filter(\.$slug == programmeData.draft.slug).first() else { continue }
            for cohortData in programmeData.cohorts {
                guard let round = cohortData.round,
                      let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == cohortData.draft.slug).first() else { continue }
                created += try await loadRound(round, cohort: cohort, on: db)
            }
        }
        return created
    }

    func loadRound(_ data: DemoRound, cohort: Cohort, on db: any Database) async throws -> Int {
        let cohortID = try cohort.requireID()
        if try await RoundService.round(of: cohortID, on: db) != nil { return 0 }
        let round = RecruitmentRound()
        round.$cohort.id = cohortID
        round.opensAt = data.opensAt
        round.closesAt = data.closesAt
        round.capacity = cohort.capacity
        round.sponsored = data.sponsored
        round.tuitionPerTrainee = data.tuitionPerTrainee
        round.refundPerCompleter = data.refundPerCompleter
        round.blindReview = true
        round.normalisation = SelectionRules.Normalisation.none.rawValue
        round.tieBreaks = SelectionRules.standard.tieBreaks.map(\.rawValue).joined(separator: ",")
        try await round.create(on: db)
        let roundID = try round.requireID()
        try await RoundService.furnish(round, cohort: cohort, by: .demo, on: db)
        let consent = try await ConsentService.current(for: roundID, on: db)

        // Sponsorships: one per company; the demo company contact speaks for the first.
        var sponsorships: [String: UUID] = [:]
        if data.sponsored {
            let contact = try await User.query(on: db).filter(\.$email == "company@\(DemoAcademy.emailDomain)").first()
            for (index, company) in data.companies.enumerated() {
                let sponsorship = Sponsorship()
                sponsorship.$round.id = roundID
                sponsorship.company = company
                sponsorship.$contact.id = index == 0 ? contact?.id : nil
                sponsorship.tuitionPerTrainee = data.tuitionPerTrainee ?? 0
                sponsorship.refundPerCompleter = data.refundPerCompleter ?? 0
                try await sponsorship.create(on: db)
                sponsorships[company] = sponsorship.id
            }
        }

        // Rank those who reached the committee with the round's rules.
        let ids = data.applicants.map { _ in UUID() }
        let candidates = zip(ids, data.applicants).enumerated().compactMap { index, pair -> Candidate? in
            let (id, a) = pair
            guard a.reachedCommittee else { return nil }
            return Candidate(id: id, number: index + 1, submittedAt: a.submittedAt, scores: [
                "documents": [.init(reviewer: "", score: a.documents)], "test": [.init(reviewer: "", score: a.test)],
                "interview": [.init(reviewer: "", score: a.interview)]])
        }
        let ranked = Dictionary(uniqueKeysWithValues: Ranking.rank(candidates, rules: .standard, capacity: cohort.capacity).map { ($0.id, $0) })
        let users = Dictionary(try await User.query(on: db).filter(\.$email ~~ data.applicants.filter(\.admitted).map(\.person.email)).all()
            .map { ($0.email, $0.id!) }, uniquingKeysWith: { a, _ in a })

        let sql = db as! any SQLDatabase
        let columns = ApplicationsImporter.columns + ["user_id", "consent_version_id", "consented_at", "final_score", "rank", "waitlist_position", "tie_break", "decision_json", "decided_at"]
        for start in stride(from: 0, to: data.applicants.count, by: 300) {
            var insert = sql.insert(into: Applicant.schema).columns(columns)
            for index in start..<min(start + 300, data.applicants.count) {
                let a = data.applicants[index], id = ids[index], result = ranked[id]
                let stage: ApplicationStage = a.admitted ? .enrolled : a.reachedCommittee ? .waitlisted : .documentsFailed
                let row = ApplicationRow(line: index + 2, name: a.person.name, email: a.person.email, birthDate: a.person.birthDate!,
                                         region: a.person.region!, submittedAt: a.submittedAt, phone: nil, gender: a.person.gender,
                                         education: a.admitted || index % 4 != 0 ? .bachelor : .associate, majorField: a.person.majorField,
                                         employmentStatus: data.sponsored ? .employed : (index % 5 == 0 ? .student : .unemployed),
                                         sponsorCompany: a.company, documentScore: a.documents, testScore: a.test, interviewScore: a.interview,
                                         stage: stage, answers: [:])
                var values = ApplicationsImporter.values(row, number: index + 1, roundID: roundID, cohortID: cohortID,
                                                         sponsorship: a.company.flatMap { sponsorships[$0] }, now: data.closesAt)
                values[0] = id
                values += [users[a.person.email], consent?.id, a.submittedAt, result.map { ($0.finalScore * 100).rounded() / 100 }, result?.rank,
                           result?.waitlistPosition, result?.tieBreak?.rawValue, result.map { DecisionRecord($0, rules: .standard).json },
                           result == nil ? nil : data.closesAt]
                insert = insert.values(values)
            }
            try await insert.run()
        }
        for (index, a) in data.applicants.enumerated() where a.company != nil {
            let nomination = Nomination()
            nomination.$sponsorship.id = sponsorships[a.company!]!
            nomination.name = a.person.name
            nomination.email = a.person.email
            nomination.applicationID = ids[index]
            // The demo's nominees agreed when their companies put them forward.
            nomination.status = .accepted
            try await nomination.create(on: db)
        }
        try await AuditLog.record(AuditEntry(action: "round.created", entityType: "round", entityID: roundID,
                                             summary: "\(cohort.slug): demo, \(data.applicants.count) applicants", programmeID: cohort.$programme.id,
                                             cohortID: cohortID), by: .demo, on: db)
        return 1 + data.applicants.count
    }
}
