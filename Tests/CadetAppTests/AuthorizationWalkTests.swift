import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Walks every route with every role (and anonymous) against both programmes and checks who is
/// refused. Roles are held only on alpha, so on beta only the operator gets in.
@Suite("Authorisation on every route")
struct AuthorizationWalkTests {
    typealias Who = Seed.Who

    static let everyone = Set(Who.allCases)
    static let signedIn = everyone.subtracting([.anonymous])
    static let alphaRoles: Set<Who> = [.operator, .staff, .instructor, .assistant, .mentor, .committee, .company, .trainee]
    static let staff: Set<Who> = [.operator, .staff]
    static let roster: Set<Who> = [.operator, .staff, .instructor, .assistant]

    /// Who gets through on alpha and on beta, per route.
    struct Rule {
        let alpha: Set<Who>
        let beta: Set<Who>

        static func same(_ who: Set<Who>) -> Rule { Rule(alpha: who, beta: who) }
        static func scoped(_ who: Set<Who>) -> Rule { Rule(alpha: who, beta: [.operator]) }
    }

    static let rules: [String: Rule] = [
        "GET /": .same(everyone),
        "GET /healthz": .same(everyone),
        // Only the machine itself, or a scraper with CADET_METRICS_TOKEN; in-memory test requests
        // come from no address at all (PlatformTests checks loopback and the token).
        "GET /metrics": .same([]),
        "GET /assets/:file": .same(everyone),
        "GET /signin": .same(everyone),
        "POST /signin": .same(everyone),
        "POST /signin/unlock": .same(everyone),
        "GET /signin/unlock": .same(everyone),
        "GET /account/verify": .same(everyone),
        "POST /account/verify": .same(signedIn),
        "GET /account/tokens": .same(signedIn),
        "POST /account/tokens": .same(signedIn),
        // The staff member's token on alpha, the operator's on beta.
        "POST /account/tokens/:token/revoke": Rule(alpha: [.operator, .staff], beta: [.operator]),
        "GET /signup": .same(everyone),
        "POST /signup": .same(everyone),
        "POST /signout": .same(everyone),
        "POST /language": .same(everyone),
        "GET /password/forgot": .same(everyone),
        "POST /password/forgot": .same(everyone),
        "GET /password/reset": .same(everyone),
        "POST /password/reset": .same(everyone),
        "GET /account": .same(signedIn),
        "POST /account/password": .same(signedIn),
        "GET /outbox": .same([.operator]),
        "GET /programmes": .same(signedIn),
        "GET /programmes/new": .same([.operator]),
        "POST /programmes": .same([.operator]),
        "GET /programmes/:programme": .scoped(alphaRoles),
        "GET /programmes/:programme/edit": .scoped(staff),
        "POST /programmes/:programme": .scoped(staff),
        "GET /programmes/:programme/cohorts/new": .scoped(staff),
        "POST /programmes/:programme/cohorts": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort": .scoped(alphaRoles),
        "GET /programmes/:programme/cohorts/:cohort/edit": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/phases": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/phases/:phase/delete": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/classes": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/classes/:class": .scoped(roster),
        "POST /programmes/:programme/cohorts/:cohort/classes/:class": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/classes/:class/trainees": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/classes/:class/trainees/:person/delete": .scoped(staff),
        // People pages are for staff: programme staff see alpha's people, not beta's.
        "GET /people": .same(staff),
        "GET /people/new": .same(staff),
        "POST /people": .same(staff),
        "GET /people/:person": .scoped(staff),
        "POST /people/:person/roles": .scoped(staff),
        "POST /people/:person/roles/:grant/delete": .scoped(staff),
        "GET /audit": .same(staff),
        // Recruitment: public round pages, each applicant's own application, staff's pipeline.
        "GET /apply": .same(everyone),
        "GET /apply/:programme/:cohort": .same(everyone),
        "POST /apply/:programme/:cohort": .same(signedIn),
        "GET /applications": .same(signedIn),
        "GET /applications/:application": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /applications/:application": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /applications/:application/submit": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /applications/:application/withdraw": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /applications/:application/accept": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /applications/:application/decline": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /applications/:application/files/:question": Rule(alpha: [.trainee], beta: [.outsider]),
        "GET /applications/:application/files/:file": Rule(alpha: [.trainee], beta: [.outsider]),
        "GET /programmes/:programme/cohorts/:cohort/recruitment": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/recruitment": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/recruitment/questions": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/recruitment/questions/:question/delete": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/recruitment/consent": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/recruitment/criteria/:criterion": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/recruitment/sponsorships": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/applicants": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/applicants/bulk": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/applicants/export.csv": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/applicants/import": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/applicants/:applicant": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/applicants/:applicant/scores": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/applicants/:applicant/reviewers": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/applicants/:applicant/files/:file": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/selection": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/selection": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/dashboard": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/sponsorships/apply": Rule(alpha: [.company], beta: []),
        "GET /sponsorships": .same(signedIn),
        "GET /sponsorships/:sponsorship": Rule(alpha: [.operator, .staff, .company], beta: [.operator]),
        "POST /sponsorships/:sponsorship/nominations": Rule(alpha: [.operator, .staff, .company], beta: [.operator]),
        "POST /sponsorships/:sponsorship/nominations/:nomination/certificate": Rule(alpha: [.operator, .staff, .company], beta: [.operator]),
        "POST /sponsorships/:sponsorship/nominations/:nomination/confirm": Rule(alpha: [.operator, .staff], beta: [.operator]),
        // A nomination is answered only by the person it names, with a verified address.
        "POST /nominations/:nomination/accept": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /nominations/:nomination/decline": Rule(alpha: [.trainee], beta: [.outsider]),
        "GET /reviews": .same(signedIn),
        "GET /reviews/:assignment": Rule(alpha: [.committee], beta: [.operator]),
        "POST /reviews/:assignment": Rule(alpha: [.committee], beta: [.operator]),
        "POST /reviews/:assignment/recuse": Rule(alpha: [.committee], beta: [.operator]),
        // The admission test: staff set it up and watch it; each taker sees only their own attempt.
        "GET /programmes/:programme/cohorts/:cohort/exam": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/exam/timing": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/exam/definition": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/definition.json": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/preview": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/exam/questions/:question/check": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/checks/:job": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/exam/prepare": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/live": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/results": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/results.csv": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/exam/attempts/:attempt": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/exam/attempts/:attempt/extra-time": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/exam/regrade": .scoped(staff),
        // Training: staff build the timetable; those who teach take attendance and read the
        // ledger; trainees check in to their own class's sessions and ask for excuses.
        "GET /programmes/:programme/cohorts/:cohort/training": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/training/courses": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/training/courses/:course/delete": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/training/timetable": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/training/closures": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/training/rules": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/sessions/:session": .scoped(roster),
        "POST /programmes/:programme/cohorts/:cohort/sessions/:session": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/sessions/:session/display": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/calendar": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/ledger": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/ledger.csv": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/at-risk": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/excuses": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/excuses/:excuse": .scoped(staff),
        "GET /checkin": .same(signedIn),
        "POST /checkin": .same(signedIn),
        "GET /checkin/:session": Rule(alpha: [.trainee], beta: []),
        "POST /checkin/:session": Rule(alpha: [.trainee], beta: []),
        "GET /calendar": .same(signedIn),
        "GET /calendar/feed/:token": .same(everyone),
        "GET /training": .same(signedIn),
        "GET /training/excuses": .same(signedIn),
        "POST /training/excuses": .same(signedIn),
        "GET /training/excuses/:excuse/evidence": Rule(alpha: [.trainee, .operator, .staff], beta: [.operator]),
        // Completion: those who teach read the run; staff decide, issue, revoke and re-issue;
        // only the holder downloads a certificate; anyone verifies one.
        "GET /programmes/:programme/cohorts/:cohort/completion": .scoped(roster),
        "POST /programmes/:programme/cohorts/:cohort/completion/rules": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/completion/run": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/completion/trainees/:trainee/override": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/completion/trainees/:trainee/departure": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/completion/awards": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/completion/awards/:award/delete": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/certificates": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/certificates/:serial/revoke": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/certificates/:serial/reissue": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/certificates/:serial/pdf": .scoped(roster),
        "GET /programmes/:programme/cohorts/:cohort/settlement": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/settlement/csv": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/settlement/invoices": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/settlement/invoices/:invoice/payments": .scoped(staff),
        // Careers: staff keep graduates' outcomes and draw the funder's report.
        "GET /programmes/:programme/cohorts/:cohort/outcomes": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/outcomes/csv": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/outcomes/snapshots": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/outcomes/:trainee": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/outcomes/:trainee": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/outcomes/:trainee/evidence": .scoped(staff),
        "GET /programmes/:programme/report": .scoped(staff),
        "GET /programmes/:programme/report.csv": .scoped(staff),
        "GET /programmes/:programme/report.json": .scoped(staff),
        "GET /programmes/:programme/report.pdf": .scoped(staff),
        "POST /programmes/:programme/report/home-region": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/outcomes/follow-ups": .scoped(staff),
        "GET /outcome-update/:token": .same(everyone),
        "GET /programmes/:programme/companies": .scoped(staff),
        "POST /programmes/:programme/companies": .scoped(staff),
        "GET /programmes/:programme/companies/:company": .scoped(staff),
        "POST /programmes/:programme/companies/:company/agreements": .scoped(staff),
        "POST /programmes/:programme/companies/:company/postings": .scoped(staff),
        "GET /programmes/:programme/postings/:posting": .scoped(staff),
        "POST /programmes/:programme/postings/:posting/candidates": .scoped(staff),
        "POST /programmes/:programme/postings/:posting/placements/:placement": .scoped(staff),
        "GET /jobs": .same(signedIn),
        "GET /programmes/:programme/recruit-days": .scoped(staff),
        "POST /programmes/:programme/recruit-days": .scoped(staff),
        "GET /programmes/:programme/recruit-days/:day": .scoped(staff),
        "POST /programmes/:programme/recruit-days/:day/slots": .scoped(staff),
        "GET /recruit-days/:day": Rule(alpha: [.trainee], beta: []),
        "POST /recruit-days/:day/slots/:slot/book": Rule(alpha: [.trainee], beta: []),
        "POST /recruit-days/:day/slots/:slot/cancel": Rule(alpha: [.trainee], beta: []),
        "POST /jobs/:posting/apply": Rule(alpha: [.trainee], beta: []),
        "POST /outcome-update/:token": .same(everyone),
        "GET /certificates": .same(signedIn),
        "GET /certificates/:serial/pdf": Rule(alpha: [.trainee], beta: []),
        "GET /certificates/:serial/credential": Rule(alpha: [.trainee], beta: []),
        "GET /programmes/:programme/cohorts/:cohort/hackathons": .scoped(roster.union([.mentor])),
        "POST /programmes/:programme/cohorts/:cohort/hackathons": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/hackathons/:hackathon": .scoped(roster.union([.mentor])),
        "POST /programmes/:programme/cohorts/:cohort/hackathons/:hackathon/teams": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/hackathons/:hackathon/close": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/hackathons/:hackathon/reveal": .scoped(staff),
        "GET /hackathons": .same(signedIn),
        "GET /hackathons/:hackathon": Rule(alpha: [.trainee], beta: []),
        "GET /hackathons/:hackathon/board": Rule(alpha: [.trainee], beta: []),
        "GET /hackathons/:hackathon/sample.csv": Rule(alpha: [.trainee], beta: []),
        "GET /hackathons/:hackathon/program-input": Rule(alpha: [.trainee], beta: []),
        "POST /hackathons/:hackathon/submissions": Rule(alpha: [.trainee], beta: []),
        "POST /hackathons/:hackathon/finals": Rule(alpha: [.trainee], beta: []),
        // Team projects: those who teach and mentors read; staff decide, match, move and staff
        // them; trainees rank and propose; a company's contact proposes for its company.
        "GET /programmes/:programme/cohorts/:cohort/projects": .scoped(roster.union([.mentor])),
        "GET /programmes/:programme/cohorts/:cohort/projects/teams.csv": .scoped(roster.union([.mentor])),
        "POST /programmes/:programme/cohorts/:cohort/projects": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/projects/match": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/projects/move": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/projects/:project/decision": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/projects/:project/mentors": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/projects/:project/mentors/:mentor/remove": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/showcase": .scoped(roster.union([.mentor])),
        "POST /programmes/:programme/cohorts/:cohort/showcase": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/showcase/judges": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/showcase/awards": .scoped(staff),
        "GET /judging": .same([.committee]),
        "POST /judging/:showcase/marks/:project": Rule(alpha: [.committee], beta: []),
        "POST /judging/:showcase/votes": Rule(alpha: [.committee], beta: []),
        "GET /showcase/:programme/:cohort": Rule(alpha: everyone, beta: []),
        "POST /programmes/:programme/cohorts/:cohort/projects/milestones": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/projects/:project": .scoped(roster.union([.mentor])),
        "POST /programmes/:programme/cohorts/:cohort/projects/:project/milestones/:milestone/feedback": Rule(alpha: staff.union([.mentor]), beta: [.operator]),
        "GET /programmes/:programme/cohorts/:cohort/projects/:project/milestones/:milestone/file": .scoped(roster.union([.mentor])),
        "POST /projects/milestones/:milestone": Rule(alpha: [.trainee], beta: []),
        "GET /projects/milestones/:milestone/file": Rule(alpha: [.trainee], beta: []),
        "GET /projects": .same([.trainee, .company]),
        "POST /projects/preferences": .same([.trainee]),
        "POST /projects/proposals": .same([.trainee]),
        "GET /verify": .same(everyone),
        "GET /verify/:serial": .same(everyone),
        "GET /.well-known/jwks.json": .same(everyone),
        "GET /exams": .same(signedIn),
        "GET /exams/:attempt": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /exams/:attempt/start": Rule(alpha: [.trainee], beta: [.outsider]),
        "GET /exams/:attempt/take": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /exams/:attempt/submit": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /exams/:attempt/answers": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /exams/:attempt/events": Rule(alpha: [.trainee], beta: [.outsider]),
        "POST /exams/:attempt/runs": Rule(alpha: [.trainee], beta: [.outsider]),
        "GET /exams/:attempt/runs/:run": Rule(alpha: [.trainee], beta: [.outsider]),
    ]

    /// Answers that mean "not for you". Another person's application or review assignment is
    /// "not found" rather than "forbidden": whether it exists is nobody else's business.
    static let refusals: Set<String> = ["access.forbidden", "access.sign_in_required", "recruitment.application_not_found", "exam.none",
                                        "training.not_in_class", "training.excuse_not_found", "completion.certificate_not_found",
                                        "projects.hackathon_not_found", "careers.posting_not_found",
                                        "careers.recruit_day_not_found", "projects.no_project_cohort", "projects.proposal_not_found",
                                        "projects.not_judging", "projects.showcase_not_found",
                                        "projects.milestone_not_found", "projects.no_project_team", "projects.not_their_team"]

    /// Routes of the pages; the API's have a walk of their own (APIWalkTests).
    static func pageRoutes(_ app: Application) -> [Route] {
        app.routes.all.filter { $0.path.first?.description != "api" }
    }

    @Test("every route has a rule, so a new route cannot skip this walk")
    func everyRouteIsListed() async throws {
        try await TestApp.withApp { app in
            let routes = Set(Self.pageRoutes(app).map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(routes == Set(Self.rules.keys), "unlisted: \(routes.subtracting(Self.rules.keys)); stale: \(Set(Self.rules.keys).subtracting(routes))")
            let api = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(api == Set(APIWalkTests.rules.keys), "unlisted: \(api.subtracting(APIWalkTests.rules.keys)); stale: \(Set(APIWalkTests.rules.keys).subtracting(api))")
        }
    }

    @Test("each role is refused exactly where it has no right", arguments: Who.allCases)
    func walk(_ who: Who) async throws {
        try await TestApp.withApp { app in
            var seed = try await Seed.plant(in: app)
            try await seed.plantCertificates(app: app)
            try await seed.plantHackathons(app: app)
            try await seed.plantHiring(app: app)
            for route in Self.pageRoutes(app) {
                let pattern = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                let rule = try #require(Self.rules[pattern], "no rule for \(pattern)")
                for (target, allowed) in [("alpha", rule.alpha), ("beta", rule.beta)] {
                    let path = Self.concrete(route.path.map(\.description), target: target, seed: seed)
                    // A fresh session for every request: some routes sign out or revoke roles.
                    let browser = try await seed.browser(who, app: app)
                    browser.json = true
                    let response = route.method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
                    // Every page renders for whoever may see it: a broken template would show here.
                    #expect(response.status != .internalServerError, "\(who) \(route.method) \(path): \(response.text.prefix(300))")
                    let refused = response.errorCode.map(Self.refusals.contains) ?? false
                    #expect(refused == !allowed.contains(who), "\(who) \(route.method) \(path): \(response.status) \(response.errorCode ?? "")")
                    if refused {
                        #expect([.forbidden, .unauthorized, .notFound].contains(response.status))
                    }
                }
            }
        }
    }

    @Test("anonymous visitors asking for a page are sent to sign in, and come back after")
    func signInRedirect() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = Browser(app)
            let response = try await browser.get("/programmes/alpha")
            #expect(response.status == .seeOther)
            #expect(response.location == "/signin?next=/programmes/alpha")
            let signIn = try await browser.post("/signin", ["email": Who.staff.email, "password": Seed.password, "next": "/programmes/alpha"])
            #expect(signIn.location == "/programmes/alpha")
            #expect(try await browser.get("/programmes/alpha").text.contains(seed.alpha.name))
        }
    }

    static func concrete(_ components: [String], target: String, seed: Seed) -> String {
        let alpha = target == "alpha"
        let values: [String: String] = [
            ":programme": alpha ? "alpha" : "beta",
            ":cohort": alpha ? "a1" : "b1",
            ":class": (alpha ? seed.alphaClass : seed.betaClass).id!.uuidString.lowercased(),
            ":phase": (alpha ? seed.alphaPhase : seed.betaPhase).id!.uuidString,
            ":person": (alpha ? seed.alphaVictim : seed.betaVictim).id!.uuidString.lowercased(),
            ":file": components.contains("assets") ? "cadet.css" : UUID().uuidString,
            ":application": (alpha ? seed.alphaApplication : seed.betaApplication).id!.uuidString.lowercased(),
            ":question": components.contains("exam") ? "c_sum" : "cv",
            ":attempt": (alpha ? seed.alphaAttempt : seed.betaAttempt).id!.uuidString.lowercased(),
            ":run": (alpha ? seed.alphaRun : seed.betaRun).uuidString.lowercased(),
            ":job": (alpha ? seed.alphaCheck : seed.betaCheck).uuidString.lowercased(),
            ":criterion": "documents",
            ":applicant": (alpha ? seed.alphaApplication : seed.betaApplication).id!.uuidString.lowercased(),
            ":sponsorship": (alpha ? seed.alphaSponsorship : seed.betaSponsorship).id!.uuidString.lowercased(),
            ":nomination": (components.first == "nominations" ? (alpha ? seed.alphaInvitation : seed.betaInvitation)
                                                              : (alpha ? seed.alphaNomination : seed.betaNomination)).id!.uuidString.lowercased(),
            ":assignment": (alpha ? seed.alphaAssignment : seed.betaAssignment).id!.uuidString.lowercased(),
            ":token": components.contains("feed") ? "not-a-feed-token.ics" : (alpha ? seed.alphaToken : seed.betaToken).id!.uuidString.lowercased(),
            ":course": (alpha ? seed.alphaCourse : seed.betaCourse).id!.uuidString.lowercased(),
            ":session": (alpha ? seed.alphaSession : seed.betaSession).id!.uuidString.lowercased(),
            ":excuse": (alpha ? seed.alphaExcuse : seed.betaExcuse).id!.uuidString.lowercased(),
            ":trainee": (alpha ? seed.users[.trainee]! : seed.betaTrainee).id!.uuidString.lowercased(),
            ":grant": (alpha ? seed.alphaVictimGrant : seed.betaVictimGrant).id!.uuidString,
            ":invoice": UUID().uuidString,
            ":hackathon": ((alpha ? seed.alphaHackathon : seed.betaHackathon)?.id ?? UUID()).uuidString.lowercased(),
            ":award": UUID().uuidString,
            ":company": ((alpha ? seed.alphaCompany : seed.betaCompany)?.id ?? UUID()).uuidString.lowercased(),
            ":posting": ((alpha ? seed.alphaPosting : seed.betaPosting)?.id ?? UUID()).uuidString.lowercased(),
            ":placement": UUID().uuidString,
            ":day": ((alpha ? seed.alphaRecruitDay : seed.betaRecruitDay)?.id ?? UUID()).uuidString.lowercased(),
            ":slot": ((alpha ? seed.alphaSlot : seed.betaSlot)?.id ?? UUID()).uuidString.lowercased(),
            ":project": ((alpha ? seed.alphaProject : seed.betaProject)?.id ?? UUID()).uuidString.lowercased(),
            ":showcase": ((alpha ? seed.alphaShowcase : seed.betaShowcase)?.id ?? UUID()).uuidString.lowercased(),
            ":milestone": ((alpha ? seed.alphaMilestone : seed.betaMilestone)?.id ?? UUID()).uuidString.lowercased(),
            ":mentor": ((alpha ? seed.alphaMentor : seed.betaMentor)?.id ?? UUID()).uuidString.lowercased(),
            ":serial": (alpha ? seed.alphaCertificate : seed.betaCertificate)?.serial ?? "ALPHAA1-00000-00000",
        ]
        return "/" + components.map { values[$0] ?? $0 }.joined(separator: "/")
    }
}
