import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Team projects: proposals, rankings, the matching, moves and mentors")
struct ProjectTeamsTests {
    static let base = "/programmes/alpha/cohorts/a1/projects"

    static func project(_ title: String, kind: String = "common", min: Int = 1, max: Int = 2, company: UUID? = nil) -> [String: String] {
        ["kind": kind, "title": title, "problem": "Forecast next week's demand per store.", "data": "Two years of sales", "skills": "Python",
         "team_min": String(min), "team_max": String(max), "company": company?.uuidString.lowercased() ?? ""]
    }

    @Test("staff add projects, a trainee's and a company's proposals wait for approval, the trainee ranks and is matched, and sees the team")
    func lifecycle() async throws {
        try await TestApp.withApp { app in
            var seed = try await Seed.plant(in: app)
            try await seed.plantHiring(app: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let bad = try await staff.post(Self.base, Self.project("Demand", kind: "corporate", min: 5, max: 3))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Company is required") || bad.text.contains("Company"), "\(bad.text.prefix(200))")
            #expect(bad.text.contains("Largest team"))
            #expect(try await ProjectProposal.query(on: app.db).count() == 2)
            #expect(try await staff.post(Self.base, Self.project("Demand forecasting")).status == .seeOther)

            // The trainee proposes a free-topic project; it waits, and cannot be ranked yet.
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            #expect(try await trainee.post("/projects/proposals", Self.project("Sign-language translator")).status == .seeOther)
            let idea = try #require(try await ProjectProposal.query(on: app.db).filter(\.$title == "Sign-language translator").first())
            #expect(idea.status == .proposed && idea.kind == .freeTopic)
            let early = try await trainee.post("/projects/preferences", ["choice_1": idea.id!.uuidString.lowercased()])
            #expect(early.status == .unprocessableEntity && early.text.contains("1st choice"))

            // The company's contact proposes a corporate project for the company they speak for.
            let company = try await seed.browser(.company, app: app)
            company.acceptLanguage = "en"
            var corporate = Self.project("Shelf vision")
            corporate["company"] = seed.alphaCompany!.id!.uuidString.lowercased()
            corporate["cohort"] = seed.alphaCohort.id!.uuidString.lowercased()
            #expect(try await company.post("/projects/proposals", corporate).status == .seeOther)
            var forged = corporate
            forged["company"] = seed.betaCompany!.id!.uuidString.lowercased()
            #expect(try await company.post("/projects/proposals", forged).status == .unprocessableEntity)
            let shelf = try #require(try await ProjectProposal.query(on: app.db).filter(\.$title == "Shelf vision").first())
            #expect(shelf.kind == .corporate && shelf.$company.id == seed.alphaCompany!.id && shelf.status == .proposed)
            #expect(try await company.get("/projects").text.contains("Waiting for approval"))

            let waiting = try await staff.get(Self.base)
            #expect(waiting.text.contains("Sign-language translator") && waiting.text.contains("Shelf vision"))
            for p in [idea, shelf] {
                #expect(try await staff.post("\(Self.base)/\(p.id!.uuidString.lowercased())/decision", ["decision": "approve"]).status == .seeOther)
            }
            #expect(try await staff.post("\(Self.base)/\(idea.id!.uuidString.lowercased())/decision", ["decision": "decline"]).status == .conflict)

            // The trainee ranks; a project named twice is refused by the field that repeats it.
            let demand = try #require(try await ProjectProposal.query(on: app.db).filter(\.$title == "Demand forecasting").first())
            let twice = try await trainee.post("/projects/preferences", ["choice_1": shelf.id!.uuidString, "choice_2": shelf.id!.uuidString])
            #expect(twice.status == .unprocessableEntity && twice.text.contains("2nd choice"))
            #expect(try await trainee.post("/projects/preferences", ["choice_1": shelf.id!.uuidString, "choice_2": demand.id!.uuidString]).status == .seeOther)
            #expect(try await ProjectPreference.query(on: app.db).filter(\.$user.$id == seed.users[.trainee]!.id!).sort(\.$rank).all().map(\.$proposal.id) == [shelf.id!, demand.id!])

            // The matching keeps the proposer on their own idea, whatever they ranked.
            #expect(try await staff.post(Self.base + "/match").status == .seeOther)
            let member = try #require(try await ProjectMember.query(on: app.db).filter(\.$user.$id == seed.users[.trainee]!.id!).first())
            #expect(member.$proposal.id == idea.id)
            let mine = try await trainee.get("/projects")
            #expect(mine.text.contains("My team · Sign-language translator"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "project.matched").count() == 1)

            // Moved by hand onto their first choice: audited, and shown with the choice it was.
            #expect(try await staff.post(Self.base + "/move", ["email": Seed.Who.trainee.email, "project": shelf.id!.uuidString.lowercased()]).status == .seeOther)
            #expect(try await ProjectMember.query(on: app.db).filter(\.$user.$id == seed.users[.trainee]!.id!).first()?.$proposal.id == shelf.id)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "project.member_moved").all().contains { $0.summary.contains("Sign-language translator → Shelf vision") })
            let page = try await staff.get(Self.base)
            #expect(page.text.contains("Test trainee (choice 1)"))
            #expect(page.text.contains("1 on teams: 1 on their 1st choice"))
            let csv = try await staff.get(Self.base + "/teams.csv")
            #expect(csv.text.hasPrefix("\u{FEFF}project,kind,company,name,email,choice,mentors"))
            #expect(csv.text.contains("Shelf vision,corporate,Seed Partner,Test trainee,trainee@test.example,1,"))
        }
    }

    @Test("a full team refuses a move; strangers and other cohorts' projects are refused by name")
    func moves() async throws {
        try await TestApp.withApp { app in
            var seed = try await Seed.plant(in: app)
            try await seed.plantHiring(app: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            #expect(try await staff.post(Self.base, Self.project("Tiny", min: 0, max: 0)).status == .unprocessableEntity)
            let project = seed.alphaProject!.id!.uuidString.lowercased()
            let stranger = try await staff.post(Self.base + "/move", ["email": "beta.trainee@test.example", "project": project])
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains("not a trainee of this cohort"))
            let beta = try await staff.post(Self.base + "/move", ["email": Seed.Who.trainee.email, "project": seed.betaProject!.id!.uuidString])
            #expect(beta.status == .notFound)
            let classes = ClassService(database: app.db, actor: Actor(userID: nil, label: "test"))
            for n in 1...5 {
                let person = try await PeopleService(database: app.db, actor: Actor(userID: nil, label: "test")).create(["name": "Extra \(n)", "email": "extra\(n)@test.example"])
                try await classes.addTrainee(email: person.email, to: seed.alphaClass, in: seed.alphaCohort)
            }
            // The seed's trainee is on the team already: four more make five, its largest.
            for n in 1...4 {
                #expect(try await staff.post(Self.base + "/move", ["email": "extra\(n)@test.example", "project": project]).status == .seeOther)
            }
            let full = try await staff.post(Self.base + "/move", ["email": "extra5@test.example", "project": project])
            #expect(full.status == .conflict && full.text.contains("That team is full (5 at most)"))
            #expect(try await ProjectMember.query(on: app.db).count() == 5)
        }
    }

    @Test("milestones: staff set one, the team hands in a link and a PDF (bad ones refused by name, a replaced file removed), its mentor gives feedback the team reads")
    func milestones() async throws {
        try await TestApp.withApp { app in
            var seed = try await Seed.plant(in: app)
            try await seed.plantHiring(app: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let bad = try await staff.post(Self.base + "/milestones", ["title": "Final demo", "due_on": "2030-13-40"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Due"))
            #expect(try await staff.post(Self.base + "/milestones", ["title": "Final demo", "due_on": "2030-06-30"]).status == .seeOther)
            let final = try #require(try await ProjectMilestone.query(on: app.db).filter(\.$title == "Final demo").first())
            let path = "/projects/milestones/\(final.id!.uuidString.lowercased())"

            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let empty = try await Multipart.upload(trainee, path, filename: "", data: Data(), field: "unused", fields: ["note": "soon"])
            #expect(empty.status == .unprocessableEntity && empty.text.contains("Link: this is required."))
            let ftp = try await trainee.post(path, ["link": "ftp://example.org/x"])
            #expect(ftp.status == .unprocessableEntity && ftp.text.contains("Link"))
            let text = try await Multipart.upload(trainee, path, filename: "notes.txt", data: Data("just text".utf8), field: "file")
            #expect(text.status == .unprocessableEntity)
            #expect(try await MilestoneDeliverable.query(on: app.db).filter(\.$milestone.$id == final.id!).count() == 0)
            #expect(try await Multipart.upload(trainee, path, filename: "demo.pdf", data: Data("%PDF-1.4 first".utf8), field: "file",
                                               fields: ["link": "https://github.com/team/demo"]).status == .seeOther)
            let first = try #require(try await MilestoneDeliverable.query(on: app.db).filter(\.$milestone.$id == final.id!).first()?.fileStorage)
            #expect(try await Multipart.upload(trainee, path, filename: "demo-v2.pdf", data: Data("%PDF-1.4 second".utf8), field: "file",
                                               fields: ["link": "https://github.com/team/demo"]).status == .seeOther)
            #expect(DocumentStore(app).read(first) == nil, "the replaced file is gone from the store")
            #expect(try await trainee.get(path + "/file").body.string == "%PDF-1.4 second")

            // The staff page of the team: both milestones, the seed's handed in late.
            let team = "\(Self.base)/\(seed.alphaProject!.id!.uuidString.lowercased())"
            let page = try await staff.get(team)
            #expect(page.text.contains("https://github.com/team/demo") && page.text.contains("demo-v2.pdf") && page.text.contains("late"))
            let instructor = try await seed.browser(.instructor, app: app)
            #expect(try await instructor.post("\(team)/milestones/\(final.id!.uuidString.lowercased())/feedback", ["text": "Nice"]).status == .forbidden)
            let mentor = try await seed.browser(.mentor, app: app)
            #expect(try await mentor.post("\(team)/milestones/\(final.id!.uuidString.lowercased())/feedback", ["text": "Show the error analysis."]).status == .seeOther)
            #expect(try await mentor.get("\(team)/milestones/\(final.id!.uuidString.lowercased())/file").body.string == "%PDF-1.4 second")
            let mine = try await trainee.get("/projects")
            #expect(mine.text.contains("Show the error analysis.") && mine.text.contains("Hand in again"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["project.deliverable_submitted", "project.feedback_written"]).count() == 2 + 2 + 1)
        }
    }

    @Test("mentors: a trainee may not mentor, a company's contact only its own projects, nobody more than four teams")
    func mentors() async throws {
        try await TestApp.withApp { app in
            var seed = try await Seed.plant(in: app)
            try await seed.plantHiring(app: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            for n in 1...4 { #expect(try await staff.post(Self.base, Self.project("Common \(n)")).status == .seeOther) }
            let commons = try await ProjectProposal.query(on: app.db).filter(\.$title ~~ (1...4).map { "Common \($0)" }).sort(\.$title).all()
            func add(_ who: User, to project: ProjectProposal) async throws -> TestingHTTPResponse {
                try await staff.post("\(Self.base)/\(project.id!.uuidString.lowercased())/mentors", ["person": who.id!.uuidString.lowercased(), "kind": "mentor"])
            }
            let trainee = seed.users[.trainee]!
            try await RoleService(database: app.db, actor: Actor(userID: nil, label: "test")).ensure(.mentor, for: trainee.id!, at: .cohort(CohortID(seed.alphaCohort.id!), in: ProgrammeID(seed.alpha.id!)))
            #expect(try await add(trainee, to: commons[0]).text.contains("A trainee of the cohort cannot mentor"))
            let other = try await add(seed.users[.company]!, to: commons[0])
            #expect(other.status == .conflict && other.text.contains("only their company"))
            #expect(try await add(seed.users[.company]!, to: seed.alphaProject!).status == .seeOther)
            #expect(try await add(seed.users[.outsider]!, to: commons[0]).text.contains("holds no role in this cohort"))
            // The seed's mentor guides the seed project already: three more make four.
            for project in commons.prefix(3) { #expect(try await add(seed.users[.mentor]!, to: project).status == .seeOther) }
            let fifth = try await add(seed.users[.mentor]!, to: commons[3])
            #expect(fifth.status == .conflict && fifth.text.contains("already guides 4 teams"))
            #expect(try await ProjectMentor.query(on: app.db).filter(\.$user.$id == seed.users[.mentor]!.id!).count() == 4)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "project.mentor_added").count() == 1 + 1 + 3 + 1)
        }
    }
}

@Suite("The showcase: rubric judging with recusal, pairwise comparison, awards and the public page")
struct ShowcaseTests {
    static let base = "/programmes/alpha/cohorts/a1/showcase"

    @Test("judges mark and compare only teams they may judge; results rank both ways; an award reaches each member's record and the public page")
    func judging() async throws {
        try await TestApp.withApp { app in
            var seed = try await Seed.plant(in: app)
            try await seed.plantHiring(app: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let bad = try await staff.post(Self.base, ["title": "Demo day", "held_on": "2026-06-26", "rubric": "Problem 30"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Rubric"))
            #expect(try await staff.post(Self.base, ["title": "Demo day", "held_on": "2026-06-26", "place": "Hall", "rubric": "Problem, 40\nTechnique, 60",
                                                     "pairwise": "on", "published": "on"]).status == .seeOther)
            for title in ["Second team", "Third team"] {
                #expect(try await staff.post(ProjectTeamsTests.base, ProjectTeamsTests.project(title)).status == .seeOther)
            }
            // The trainee is on the seed project's team.
            #expect(try await staff.post(ProjectTeamsTests.base + "/move", ["email": Seed.Who.trainee.email, "project": seed.alphaProject!.id!.uuidString]).status == .seeOther)
            let outsider = try await staff.post(Self.base + "/judges", ["person": seed.users[.outsider]!.id!.uuidString])
            #expect(outsider.status == .unprocessableEntity && outsider.text.contains("no role over this cohort that lets them judge"))
            for who in [Seed.Who.mentor, .company] {
                #expect(try await staff.post(Self.base + "/judges", ["person": seed.users[who]!.id!.uuidString]).status == .seeOther)
            }

            // The mentor guides the seed project and the contact's company set it: both recused.
            let seedProject = seed.alphaProject!.id!.uuidString.lowercased()
            for (who, reason) in [(Seed.Who.mentor, "You mentor this team"), (.company, "is your company")] {
                let judge = try await seed.browser(who, app: app)
                judge.acceptLanguage = "en"
                let page = try await judge.get("/judging")
                #expect(page.text.contains(reason) && !page.text.contains("/marks/\(seedProject)"))
                let forced = try await judge.post("/judging/\(seed.alphaShowcase!.id!.uuidString.lowercased())/marks/\(seedProject)", ["mark_1": "5", "mark_2": "5"])
                #expect(forced.status == .forbidden && forced.text.contains(reason))
            }
            #expect(try await RubricScore.query(on: app.db).count() == 0)

            // The committee member marks every team (a 6 is refused by name) and compares pairs.
            let committee = try await seed.browser(.committee, app: app)
            committee.acceptLanguage = "en"
            let judging = "/judging/\(seed.alphaShowcase!.id!.uuidString.lowercased())"
            let projects = try await ProjectProposal.query(on: app.db).filter(\.$cohort.$id == seed.alphaCohort.id!).filter(\.$status == .approved).all()
            let marks: [String: [String]] = ["Seed project": ["5", "5"], "Second team": ["3", "4"], "Third team": ["1", "2"]]
            let six = try await committee.post("\(judging)/marks/\(projects[0].id!.uuidString.lowercased())", ["mark_1": "6", "mark_2": "3"])
            #expect(six.status == .unprocessableEntity && six.text.contains("enter a number from 1 to 5"))
            for project in projects {
                let m = marks[project.title]!
                #expect(try await committee.post("\(judging)/marks/\(project.id!.uuidString.lowercased())", ["mark_1": m[0], "mark_2": m[1]]).status == .seeOther)
            }
            // A forged pair is refused; the shown pair is taken, until every team is seen.
            let forged = try await committee.post("\(judging)/votes", ["winner": UUID().uuidString, "loser": projects[0].id!.uuidString])
            #expect(forged.status == .conflict)
            let service = ShowcaseService(database: app.db, actor: Actor(userID: nil, label: "test"), now: Date())
            let showcase = try #require(try await Showcase.find(seed.alphaShowcase!.id!, on: app.db))
            let ref = DirectoryLookup.CohortRef(programme: seed.alpha, cohort: seed.alphaCohort, id: seed.alphaCohort.id!)
            var votes = 0
            while let pair = try await service.nextPair(for: seed.users[.committee]!, in: showcase, ref: ref) {
                #expect(try await committee.get("/judging").text.contains("value=\"\(pair.0.id!.uuidString.lowercased())\""))
                let better = marks[pair.0.title]![0] > marks[pair.1.title]![0] ? (pair.0, pair.1) : (pair.1, pair.0)
                #expect(try await committee.post("\(judging)/votes", ["winner": better.0.id!.uuidString, "loser": better.1.id!.uuidString]).status == .seeOther)
                votes += 1
            }
            #expect(votes == 2)
            #expect(try await committee.get("/judging").text.contains("You have compared every team open to you"))

            let results = try await service.results(showcase, in: ref)
            #expect(results.map(\.project.title) == ["Seed project", "Second team", "Third team"])
            let weakest: Double = (40.0 * 1 + 60.0 * 2) / 500.0 * 100.0
            #expect(results[0].points == 100)
            #expect(results[2].points == weakest)
            #expect(results.compactMap(\.strength).count == 3 && results[0].strength! > results[2].strength!)
            #expect(try await staff.get(Self.base).text.contains("Pairwise rank"))

            #expect(try await staff.post(Self.base + "/awards", ["project": seedProject, "title": "대상 (Grand prize)"]).status == .seeOther)
            let award = try #require(try await Award.query(on: app.db).filter(\.$trainee.$id == seed.users[.trainee]!.id!).first())
            #expect(award.title == "대상 (Grand prize) · Seed project" && award.awardedOn == "2026-06-26")
            let visitor = Browser(app)
            visitor.acceptLanguage = "en"
            let page = try await visitor.get("/showcase/alpha/a1")
            #expect(page.status == .ok && page.text.contains("대상 (Grand prize)") && page.text.contains("Test trainee") && !page.text.contains("trainee@test.example"))
            #expect(try await visitor.get("/showcase/beta/b1").status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["showcase.marked", "showcase.voted", "showcase.awarded"]).count() == 3 + 2 + 1)
        }
    }
}
