import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// A small academy for tests: two programmes (alpha, beta), each with a cohort and a class, and
/// one person per role, all granted on alpha's cohort or programme. Nobody but the operator has
/// anything to do with beta.
struct Seed {
    static let password = "correct horse battery"

    enum Who: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case anonymous, `operator`, staff, instructor, assistant, mentor, committee, company, trainee, outsider
        var testDescription: String { rawValue }
        var email: String { "\(rawValue)@test.example" }
    }

    var users: [Who: User] = [:]
    var alpha: Programme!
    var beta: Programme!
    var alphaCohort: Cohort!
    var betaCohort: Cohort!
    var alphaClass: TrainingClass!
    var betaClass: TrainingClass!
    var alphaPhase: CohortPhase!
    var betaPhase: CohortPhase!
    /// People whose roles the role-granting routes act on.
    var alphaVictim: User!
    var betaVictim: User!
    var alphaVictimGrant: RoleGrant!
    var betaVictimGrant: RoleGrant!
    var betaTrainee: User!
    var alphaRound: RecruitmentRound!
    var betaRound: RecruitmentRound!
    /// The trainee's application to alpha, and the outsider's to beta.
    var alphaApplication: Applicant!
    var betaApplication: Applicant!
    var alphaSponsorship: Sponsorship!
    var betaSponsorship: Sponsorship!
    var alphaNomination: Nomination!
    var betaNomination: Nomination!
    /// Each sponsor's nomination, still waiting for an answer, of the person who already applied
    /// on their own (the trainee to alpha, the outsider to beta).
    var alphaInvitation: Nomination!
    var betaInvitation: Nomination!
    /// The committee member reviews alpha's application; the operator reviews beta's.
    var alphaAssignment: ReviewAssignment!
    var betaAssignment: ReviewAssignment!
    /// Each round's admission test, open now, with an attempt for its application, a sample
    /// run of that attempt, and a staff check of a question.
    var alphaExam: Exam!
    var betaExam: Exam!
    var alphaAttempt: ExamAttempt!
    var betaAttempt: ExamAttempt!
    var alphaRun: UUID!
    var betaRun: UUID!
    var alphaCheck: UUID!
    var betaCheck: UUID!
    /// API tokens: the staff member's personal token on alpha, the operator's on beta.
    var alphaToken: APIToken!
    var betaToken: APIToken!
    /// Training: a course each, a session each that started ten minutes ago (the trainee's
    /// class on alpha, the beta trainee's on beta), and an excused-absence request each.
    var alphaCourse: Course!
    var betaCourse: Course!
    var alphaSession: TrainingSession!
    var betaSession: TrainingSession!
    var alphaExcuse: ExcuseRequest!
    /// Certificates for the route walk (`plantCertificates`); other tests start without any.
    var alphaCertificate: Certificate?
    var betaCertificate: Certificate?
    var betaExcuse: ExcuseRequest!
    /// Hackathons for the route walk (`plantHackathons`), the trainee on a team in alpha's.
    var alphaHackathon: Hackathon?
    var betaHackathon: Hackathon?
    /// A partner company with an open posting in each programme, for the route walk (`plantHiring`).
    var alphaCompany: Company?
    var betaCompany: Company?
    var alphaPosting: JobPosting?
    var betaPosting: JobPosting?
    var alphaRecruitDay: RecruitDay?
    var betaRecruitDay: RecruitDay?
    var alphaSlot: InterviewSlot?
    var betaSlot: InterviewSlot?
    var alphaProject: ProjectProposal?
    var betaProject: ProjectProposal?
    var alphaMentor: ProjectMentor?
    var betaMentor: ProjectMentor?
    var alphaShowcase: Showcase?
    var betaShowcase: Showcase?
    var alphaMilestone: ProjectMilestone?
    var betaMilestone: ProjectMilestone?

    static func plant(in app: Application) async throws -> Seed {
        var seed = Seed()
        let db = app.db
        let actor = Actor(userID: nil, label: "seed")
        let hash = try await PasswordHasher(app).hash(password)
        for who in Who.allCases where who != .anonymous {
            let user = User(email: who.email, name: "Test \(who.rawValue)", passwordHash: hash, emailVerifiedAt: Date())
            try await user.create(on: db)
            seed.users[who] = user
        }
        let programmes = ProgrammeService(database: db, actor: actor)
        seed.alpha = try await programmes.create(["slug": "alpha", "name": "Alpha Academy"])
        seed.beta = try await programmes.create(["slug": "beta", "name": "Beta Bootcamp"])
        let cohorts = CohortService(database: db, actor: actor)
        let cohortValues = ["name": "Cohort", "capacity": "30", "starts_on": "2026-03-02", "ends_on": "2026-06-26", "target_hours": "640"]
        seed.alphaCohort = try await cohorts.create(in: seed.alpha, cohortValues.merging(["slug": "a1"]) { $1 })
        seed.betaCohort = try await cohorts.create(in: seed.beta, cohortValues.merging(["slug": "b1"]) { $1 })
        try await cohorts.addPhase(to: seed.alphaCohort, ["name": "Basics", "hours": "320"])
        try await cohorts.addPhase(to: seed.betaCohort, ["name": "Basics", "hours": "320"])
        seed.alphaPhase = try await CohortPhase.query(on: db).filter(\.$cohort.$id == seed.alphaCohort.id!).first()
        seed.betaPhase = try await CohortPhase.query(on: db).filter(\.$cohort.$id == seed.betaCohort.id!).first()

        let roles = RoleService(database: db, actor: actor)
        let alphaScope = Scope.cohort(CohortID(seed.alphaCohort.id!), in: ProgrammeID(seed.alpha.id!))
        try await roles.ensure(.operator, for: seed.users[.operator]!.id!, at: .academy)
        try await roles.ensure(.programmeStaff, for: seed.users[.staff]!.id!, at: .programme(ProgrammeID(seed.alpha.id!)))
        try await roles.ensure(.mentor, for: seed.users[.mentor]!.id!, at: alphaScope)
        try await roles.ensure(.committeeMember, for: seed.users[.committee]!.id!, at: alphaScope)
        try await roles.ensure(.companyContact, for: seed.users[.company]!.id!, at: alphaScope)

        let classes = ClassService(database: db, actor: actor)
        seed.alphaClass = try await classes.create(in: seed.alphaCohort, ["name": "A", "instructor_email": Who.instructor.email, "assistant_email": Who.assistant.email])
        try await classes.addTrainee(email: Who.trainee.email, to: seed.alphaClass, in: seed.alphaCohort)

        let people = PeopleService(database: db, actor: actor)
        seed.betaTrainee = try await people.create(["name": "Beta Trainee", "email": "beta.trainee@test.example"])
        seed.betaClass = try await classes.create(in: seed.betaCohort, ["name": "B"])
        try await classes.addTrainee(email: seed.betaTrainee.email, to: seed.betaClass, in: seed.betaCohort)

        seed.alphaVictim = try await people.create(["name": "Alpha Victim", "email": "alpha.victim@test.example"])
        seed.betaVictim = try await people.create(["name": "Beta Victim", "email": "beta.victim@test.example"])
        try await roles.ensure(.mentor, for: seed.alphaVictim.id!, at: alphaScope)
        try await roles.ensure(.mentor, for: seed.betaVictim.id!, at: .cohort(CohortID(seed.betaCohort.id!), in: ProgrammeID(seed.beta.id!)))
        seed.alphaVictimGrant = try await RoleGrant.query(on: db).filter(\.$user.$id == seed.alphaVictim.id!).first()
        seed.betaVictimGrant = try await RoleGrant.query(on: db).filter(\.$user.$id == seed.betaVictim.id!).first()
        try await seed.plantRecruitment(app: app, actor: actor)
        try await seed.plantExams(app: app)
        try await seed.plantTraining(app: app, actor: actor)
        let tokens = APITokenService(database: db, actor: actor)
        seed.alphaToken = try await tokens.create(.init(name: "alpha", kind: .personal, scope: "programme:\(seed.alpha.id!.uuidString)", access: .read, expiresInDays: nil),
                                                  by: seed.users[.staff]!, policy: AccessPolicy(grants: [Grant(.programmeStaff, .programme(ProgrammeID(seed.alpha.id!)))])).record
        seed.betaToken = try await tokens.create(.init(name: "beta", kind: .personal, scope: "programme:\(seed.beta.id!.uuidString)", access: .read, expiresInDays: nil),
                                                 by: seed.users[.operator]!, policy: AccessPolicy(grants: [Grant(.operator, .academy)])).record
        return seed
    }

    /// A browser signed in as `who` (or anonymous), with a session made directly in the database.
    func browser(_ who: Who, app: Application) async throws -> Browser {
        let browser = Browser(app)
        guard who != .anonymous, let user = users[who] else { return browser }
        let token = Tokens.random()
        try await UserSession(userID: user.id!, tokenHash: Tokens.sha256(token), expiresAt: Date().addingTimeInterval(3600),
                              address: nil, userAgent: nil).create(on: app.db)
        browser.cookies[SessionMiddleware.cookieName] = token
        return browser
    }
}

extension Seed {
    /// Open rounds for both cohorts, an application to each, a sponsorship and a nomination each,
    /// and a review assignment each.
    mutating func plantRecruitment(app: Application, actor: Actor) async throws {
        let db = app.db
        let rounds = RoundService(database: db, actor: actor, timeZone: app.config.timeZone)
        let times = Seed.openWindow(app.config.timeZone)
        alphaRound = try await rounds.save(for: alphaCohort, try RoundDraft.parse(["opens_at": times.opens, "closes_at": times.closes, "capacity": "2"], zone: app.config.timeZone))
        betaRound = try await rounds.save(for: betaCohort, try RoundDraft.parse(["opens_at": times.opens, "closes_at": times.closes, "capacity": "2"], zone: app.config.timeZone))
        for (round, cohort) in [(alphaRound!, alphaCohort!), (betaRound!, betaCohort!)] {
            try await rounds.addQuestion(to: round, cohort: cohort, try QuestionDraft.parse(["key": "cv", "label_ko": "이력서", "label_en": "CV", "kind": "file"]))
        }
        let t = Localizer(locale: .english, timeZone: app.config.timeZone)
        let applications = ApplicationService(database: db, actor: actor, localizer: t)
        alphaApplication = try await applications.start(round: alphaRound, cohort: alphaCohort, user: users[.trainee]!)
        betaApplication = try await applications.start(round: betaRound, cohort: betaCohort, user: users[.outsider]!)
        let sponsorships = SponsorshipService(database: db, actor: actor, localizer: t, publicURL: app.config.publicURL)
        alphaSponsorship = try await sponsorships.create(in: alphaRound, cohort: alphaCohort, ["company": "Alpha Corp", "tuition_per_trainee": "15000000", "refund_per_completer": "5000000"], contact: users[.company])
        betaSponsorship = try await sponsorships.create(in: betaRound, cohort: betaCohort, ["company": "Beta Corp", "tuition_per_trainee": "15000000", "refund_per_completer": "5000000"], contact: nil)
        _ = try await sponsorships.nominate(["name": "Nominee A", "email": "nominee.a@test.example"], sponsorship: alphaSponsorship, round: alphaRound, cohort: alphaCohort, byStaff: true)
        _ = try await sponsorships.nominate(["name": "Nominee B", "email": "nominee.b@test.example"], sponsorship: betaSponsorship, round: betaRound, cohort: betaCohort, byStaff: true)
        alphaNomination = try await Nomination.query(on: db).filter(\.$sponsorship.$id == alphaSponsorship.id!).first()
        betaNomination = try await Nomination.query(on: db).filter(\.$sponsorship.$id == betaSponsorship.id!).first()
        alphaInvitation = try await sponsorships.nominate(["name": "Test trainee", "email": Who.trainee.email], sponsorship: alphaSponsorship,
                                                          round: alphaRound, cohort: alphaCohort, byStaff: false)
        betaInvitation = try await sponsorships.nominate(["name": "Test outsider", "email": Who.outsider.email], sponsorship: betaSponsorship,
                                                         round: betaRound, cohort: betaCohort, byStaff: false)
        let reviews = ReviewService(database: db, actor: actor)
        _ = try await reviews.assign([alphaApplication.id!], reviewerEmail: Who.committee.email, source: .documents, round: alphaRound, cohort: alphaCohort)
        _ = try await reviews.assign([betaApplication.id!], reviewerEmail: Who.operator.email, source: .documents, round: betaRound, cohort: betaCohort)
        alphaAssignment = try await ReviewAssignment.query(on: db).filter(\.$applicant.$id == alphaApplication.id!).first()
        betaAssignment = try await ReviewAssignment.query(on: db).filter(\.$applicant.$id == betaApplication.id!).first()
    }

    /// Opened an hour ago, closing in a week: times as the round form takes them.
    static func openWindow(_ zone: TimeZone, opens: TimeInterval = -3600, closes: TimeInterval = 7 * 86_400) -> (opens: String, closes: String) {
        let t = Localizer(locale: .english, timeZone: zone)
        return (t.dateTime(Date().addingTimeInterval(opens)).replacingOccurrences(of: " ", with: "T"),
                t.dateTime(Date().addingTimeInterval(closes)).replacingOccurrences(of: " ", with: "T"))
    }
}

extension Seed {
    mutating func plantExams(app: Application) async throws {
        let db = app.db
        let definition = ExamDefinition.example
        var made: [(Exam, ExamAttempt, UUID, UUID)] = []
        for applicant in [alphaApplication!, betaApplication!] {
            let exam = Exam()
            exam.$round.id = applicant.$round.id
            exam.apply(ExamTiming(windowStart: Date().addingTimeInterval(-600), windowEnd: Date().addingTimeInterval(7200),
                                  durationMinutes: 60, lateStartMinutes: 60))
            exam.definitionJSON = definition.json
            exam.version = 1
            try await exam.create(on: db)
            let attempt = ExamAttempt()
            attempt.id = UUID()
            attempt.$exam.id = exam.id!
            attempt.$applicant.id = applicant.id!
            attempt.userID = applicant.$user.id
            attempt.paperJSON = ExamSetupService.paperJSON(for: attempt.id!, definition: definition, version: 1)
            attempt.paperVersion = 1
            attempt.status = .prepared
            attempt.extraMinutes = 0
            try await attempt.create(on: db)
            let queue = GradingQueue(database: db)
            let problem = definition.questions["c_sum"]!.problem!
            let run = try await queue.enqueue(problem: problem, source: "print(5)", purpose: ExamGrading.samplePurpose, reference: attempt.id!.uuidString)
            let check = try await queue.enqueue(problem: problem, source: "print(5)", purpose: ExamSetupController.checkPurpose, reference: exam.id!.uuidString)
            made.append((exam, attempt, run, check))
        }
        (alphaExam, alphaAttempt, alphaRun, alphaCheck) = made[0]
        (betaExam, betaAttempt, betaRun, betaCheck) = made[1]
    }
}

extension Seed {
    mutating func plantTraining(app: Application, actor: Actor) async throws {
        let db = app.db
        let service = TimetableService(database: db, actor: actor)
        alphaCourse = try await service.addCourse(to: alphaCohort, CourseDraft(name: "Python", plannedHours: 320, phase: alphaPhase.id!.uuidString))
        betaCourse = try await service.addCourse(to: betaCohort, CourseDraft(name: "Python", plannedHours: 320, phase: betaPhase.id!.uuidString))
        let now = Date()
        for (cohort, trainingClass, course, slot) in [(alphaCohort!, alphaClass!, alphaCourse!, 0), (betaCohort!, betaClass!, betaCourse!, 1)] {
            let session = TrainingSession()
            session.$cohort.id = cohort.id!
            session.$trainingClass.id = trainingClass.id!
            session.$course.id = course.id!
            session.day = CalendarDate(now, in: app.config.timeZone).iso
            session.startsAt = now.addingTimeInterval(-600)
            session.endsAt = now.addingTimeInterval(8 * 3600)
            session.minutes = 480
            session.$instructor.id = trainingClass.$instructor.id
            try await session.create(on: db)
            if slot == 0 { alphaSession = session } else { betaSession = session }
        }
        let evidence = try DocumentStore(app).store(Data("%PDF-1.4 evidence".utf8), filename: "note.pdf")
        let excuses = ExcuseService(database: db, actor: actor, now: now)
        let day = CalendarDate(now, in: app.config.timeZone)
        let draft = ExcuseDraft(firstDay: day, lastDay: day, reason: "Reserve forces training")
        alphaExcuse = try await excuses.request(draft, evidence: evidence, trainee: users[.trainee]!.id!, cohort: alphaCohort)
        betaExcuse = try await excuses.request(draft, evidence: evidence, trainee: betaTrainee.id!, cohort: betaCohort)
    }
}

extension Seed {
    /// A completion run and a valid certificate in each cohort, for the alpha trainee and the
    /// beta trainee.
    mutating func plantCertificates(app: Application) async throws {
        var generator = SystemRandomNumberGenerator()
        for (cohort, programme, trainee) in [(alphaCohort!, alpha!, users[.trainee]!), (betaCohort!, beta!, betaTrainee!)] {
            let run = CompletionRun()
            run.$cohort.id = cohort.id!
            run.number = 1
            run.rulesVersion = 0
            run.attendanceRulesVersion = 0
            run.ranBy = "seed"
            run.ranAt = Date()
            try await run.create(on: app.db)
            let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: cohort.id!)
            let certificate = CertificateService.make(for: trainee, hours: 320, run: run, ref: ref, now: Date(), using: &generator)
            try await certificate.create(on: app.db)
            if cohort.id == alphaCohort.id { alphaCertificate = certificate } else { betaCertificate = certificate }
        }
    }
}

extension Seed {
    /// A small accuracy hackathon in each cohort, open for a day: the alpha trainee on a team in
    /// alpha's, the beta trainee in beta's.
    mutating func plantHackathons(app: Application) async throws {
        for (cohort, programme, trainee) in [(alphaCohort!, alpha!, users[.trainee]!), (betaCohort!, beta!, betaTrainee!)] {
            let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: cohort.id!)
            let service = HackathonService(database: app.db, actor: Actor(userID: nil, label: "seed"), now: Date())
            let hackathon = try await service.create(HackathonDraft(title: "Seed hackathon", brief: "", metric: .accuracy, publicPercent: 50, dailyCap: 3, finals: 1,
                                                                     deadline: Date().addingTimeInterval(86_400)),
                                                     key: Array("id,label\n1,cat\n2,dog\n3,cat\n4,dog\n".utf8), programInput: Array("id,whiskers\n".utf8), in: ref)
            _ = try await service.addTeam(TeamDraft(name: "Seed team", emails: [trainee.email]), to: hackathon, in: ref)
            if cohort.id == alphaCohort.id { alphaHackathon = hackathon } else { betaHackathon = hackathon }
        }
    }

    mutating func plantHiring(app: Application) async throws {
        for programme in [alpha!, beta!] {
            let service = HiringService(database: app.db, actor: Actor(userID: nil, label: "seed"), now: Date())
            // Alpha's partner is the company contact's own company.
            let company = try await service.addCompany(CompanyDraft(name: "Seed Partner", contactEmail: programme.id == alpha.id ? Who.company.email : nil),
                                                       to: DirectoryLookup.ProgrammeRef(programme: programme, id: programme.id!))
            let posting = try await service.addPosting(PostingDraft(title: "Seed job", description: "", location: nil, closesOn: CalendarDate(year: 2099, month: 1, day: 1)!), by: company)
            let days = RecruitDayService(database: app.db, actor: Actor(userID: nil, label: "seed"))
            let day = try await days.create(RecruitDayDraft(title: "Seed fair", day: CalendarDate(year: 2099, month: 1, day: 1)!, place: "Hall"),
                                            in: DirectoryLookup.ProgrammeRef(programme: programme, id: programme.id!))
            _ = try await days.addSlots(SlotsDraft(starts: [600], length: 20), company: company, to: day, zone: app.config.timeZone)
            let slot = try await InterviewSlot.query(on: app.db).filter(\.$recruitDay.$id == day.id!).first()
            // A corporate project of the company, approved, with a mentor.
            let cohort = programme.id == alpha.id ? alphaCohort! : betaCohort!
            let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: cohort.id!)
            let projects = ProjectService(database: app.db, actor: Actor(userID: nil, label: "seed"), now: Date())
            let project = try await projects.propose(ProjectDraft(title: "Seed project", problem: "A seed project's problem.", teamMin: 1, teamMax: 5),
                                                     kind: .corporate, company: company, by: users[.staff]!.id!, approved: true, in: ref)
            try await projects.assignMentor(programme.id == alpha.id ? users[.mentor]! : betaVictim, kind: .mentor, to: project, in: ref)
            let mentor = try await ProjectMentor.query(on: app.db).filter(\.$proposal.$id == project.id!).first()
            // Its showcase: alpha's is public and judged by the committee member.
            let showcases = ShowcaseService(database: app.db, actor: Actor(userID: nil, label: "seed"), now: Date())
            let showcase = try await showcases.save(ShowcaseDraft(title: "Seed showcase", heldOn: CalendarDate(year: 2026, month: 6, day: 26)!, place: "Hall",
                                                                  published: programme.id == alpha.id), in: ref)
            if programme.id == alpha.id { try await showcases.addJudge(users[.committee]!, to: showcase, in: ref) }
            if programme.id == alpha.id { alphaShowcase = showcase } else { betaShowcase = showcase }
            // A milestone the team has handed a PDF in for; alpha's trainee is on the team.
            let milestones = MilestoneService(database: app.db, actor: Actor(userID: nil, label: "seed"), now: Date())
            let milestone = try await milestones.add(MilestoneDraft(title: "Interim report", dueOn: CalendarDate(year: 2026, month: 5, day: 1)!), in: ref)
            if programme.id == alpha.id { try await projects.move(users[.trainee]!, to: project, in: ref) }
            let stored = try DocumentStore(app).store(Data("%PDF-1.4 seed report".utf8), filename: "report.pdf")
            _ = try await milestones.submit(DeliverableDraft(link: "https://example.org/seed"), file: stored, for: milestone, team: project, by: users[.staff]!.id!, in: ref)
            if programme.id == alpha.id { alphaMilestone = milestone } else { betaMilestone = milestone }
            if programme.id == alpha.id {
                (alphaCompany, alphaPosting, alphaRecruitDay, alphaSlot, alphaProject, alphaMentor) = (company, posting, day, slot, project, mentor)
            } else {
                (betaCompany, betaPosting, betaRecruitDay, betaSlot, betaProject, betaMentor) = (company, posting, day, slot, project, mentor)
            }
        }
    }
}
