import CadetCore
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// The pages every taker of a cohort asks for at the opening (the landing page and the paper's)
/// are filled in from skeletons Leaf renders once per shape; each must be byte for byte the page
/// Leaf renders with the same values.
@Suite("The taker's pages, filled in from skeletons")
struct ExamPageSkeletonTests {
    @Test("the paper's page, filled in from a skeleton kept per shape, is byte for byte the page Leaf renders: languages, links, notice, preview, names and answers that need escaping")
    func paperPageSkeleton() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let attempt = try await f.attempt()
            let definition = ExamDefinitionCache.definition(of: f.exam)
            let staff = AccessPolicy(grants: [Grant(.operator, .academy)])
            typealias Case = (locale: AppLocale, policy: AccessPolicy, verified: Bool, preview: Bool, notice: String?, name: String, answer: String)
            let cases: [Case] = [
                (.english, AccessPolicy(grants: []), true, false, nil, "Kim \"<b>\" & O'Neil", ""),
                // The same shape again: the kept skeleton, with this request's values.
                (.english, AccessPolicy(grants: []), true, false, nil, "박민지", "</textarea><script>alert(1)</script>"),
                (.korean, AccessPolicy(grants: []), false, false, "notice.exam_moved", "이서연 & co", "print('안녕')"),
                // Differs from the one before only in having no notice: a shape of its own.
                (.korean, AccessPolicy(grants: []), false, false, nil, "이서연", ""),
                (.korean, staff, true, true, nil, "Operator <one>", ""),
            ]
            for c in cases {
                let req = request(app, path: f.path + "/take", locale: c.locale, name: c.name, policy: c.policy, verified: c.verified)
                let key = try #require(attempt.paper.items.first { definition.questions[$0.question]?.kind == .coding }?.question)
                let paper = PaperHTML(paper: attempt.paper, definition: definition, version: (f.exam.id!, f.exam.version),
                                      answers: c.answer.isEmpty ? [:] : [key: (c.answer, 3)], req.localizer)
                let context = ExamPaperPage.context(req, path: f.path, paper: paper, deadline: Date().addingTimeInterval(600), preview: c.preview,
                                                    notice: c.notice)
                let leaf = String(buffer: try await req.view.render(ExamPaperPage.template, context).data)
                let filled = try await ExamPaperPage.html(req, context)
                #expect(filled == leaf, "\(c.locale) \(c.name)")
                #expect(filled.contains(HTMLText.escape(c.name)) && filled.contains(req.csrfToken!))
                #expect(!filled.contains("\u{E000}"), "a marker is left in the page")
            }
        }
    }

    @Test("the landing page, filled in from a skeleton kept per shape, is byte for byte the page Leaf renders: before, during and after the test, with a note, a notice, extra facts and values that need escaping")
    func landingPageSkeleton() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            typealias Case = (locale: AppLocale, name: String, facts: Int, state: String, note: String?, notice: String?)
            let cases: [Case] = [
                (.english, "Kim \"<b>\" & O'Neil", 4, "start", nil, nil),
                // The same shape again: the kept skeleton, with this request's values.
                (.english, "박민지", 4, "start", nil, nil),
                (.korean, "이서연 & co", 4, "none", "<opens> at 09:00 & not before", nil),
                (.korean, "이서연", 6, "elsewhere", nil, "notice.exam_moved"),
                (.english, "Ann", 5, "resume", nil, nil),
                (.english, "Ann", 6, "submitted", nil, nil),
            ]
            for c in cases {
                let req = request(app, path: f.path, locale: c.locale, name: c.name)
                var chrome = PageChrome(req, title: "AI <Academy> \(c.name)")
                chrome.notice = c.notice.map { req.localizer($0) }
                let facts = (0..<c.facts).map { ExamTakerController.Fact(label: "label \($0) <\(c.name)>", value: "\(c.name) & \($0)") }
                let page = ExamTakerController.LandingPage(page: chrome, path: f.path, facts: facts, canStart: c.state == "start",
                                                           resume: ["resume", "elsewhere"].contains(c.state), elsewhere: c.state == "elsewhere",
                                                           submitted: c.state == "submitted", note: c.note)
                let leaf = String(buffer: try await req.view.render(ExamTakerController.LandingPage.template, page).data)
                let filled = try await page.html(req)
                #expect(filled == leaf, "\(c.locale) \(c.state)")
                #expect(filled.contains(HTMLText.escape(facts.last!.value)) && !filled.contains("\u{E000}"))
                #expect(filled.contains(req.csrfToken!) && filled.contains("id=\"start-exam\"") == (c.state == "start"))
            }
        }
    }

    /// A request as the taker's browser makes it, with its reader's language and a form token.
    private func request(_ app: Application, path: String, locale: AppLocale, name: String,
                         policy: AccessPolicy = AccessPolicy(grants: []), verified: Bool = true) -> Request {
        let req = Request(application: app, method: .GET, url: URI(path: path), on: app.eventLoopGroup.any())
        req.localizer = Localizer(locale: locale, timeZone: app.config.timeZone)
        req.currentUser = CurrentUser(id: UUID(), email: "taker@example.org", name: name, sessionID: UUID(), locale: locale,
                                      policy: policy, emailVerified: verified)
        req.csrfToken = "token-\(UUID().uuidString)"
        return req
    }
}
