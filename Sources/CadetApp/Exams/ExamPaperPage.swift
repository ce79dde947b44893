import CadetCore
import Vapor

/// The page around a taker's paper (`exams/take.leaf` in the layout), as a start, `/take` and
/// staff's preview answer it.
///
/// Filled in from a skeleton rather than rendered by Leaf at each request: at the opening ten
/// thousand takers ask for it within seconds, and only their values differ (the paper, the
/// clock, the addresses, the form token). See `PageSkeleton`.
enum ExamPaperPage {
    struct Context: Encodable {
        var page: PageChrome
        var path: String
        let preview: Bool
        var paper: String
        var lastSeq: String
        var deadline: String
        var now: String
        var deadlineText: String
        /// The script's words, in the reader's language.
        let messages: [Message]
    }

    struct Message: Encodable { let key: String; let value: String }

    static let template = "exams/take"
    private static let skeletons = PageSkeletons()
    private static let scriptWords = ["saved", "saving", "unsaved", "offline", "back_online", "replaced", "closed", "submit_offline",
                                      "confirm_submit", "running", "run_failed", "time_left", "time_up", "preview", "sample", "expected", "output"]

    static func context(_ req: Request, path: String, paper: PaperHTML, deadline: Date, preview: Bool, title: String? = nil,
                        notice: String? = nil) -> Context {
        let t = req.localizer
        var chrome = PageChrome(req, title: title ?? t("exam.paper"))
        chrome.script = "exam.js"
        if !preview {
            // Also the address a start's answer is shown at: the language switch comes back here.
            chrome.path = path + "/take"
        }
        if let notice { chrome.notice = t(notice) }
        return Context(page: chrome, path: path, preview: preview, paper: paper.html, lastSeq: String(paper.lastSeq),
                       deadline: String(deadline.milliseconds), now: String(Date().milliseconds), deadlineText: t.dateTime(deadline),
                       messages: scriptWords.map { Message(key: $0, value: t("exam.js.\($0)")) })
    }

    static func render(_ req: Request, path: String, paper: PaperHTML, deadline: Date, preview: Bool, title: String? = nil,
                       notice: String? = nil) async throws -> Response {
        let html = try await html(req, context(req, path: path, paper: paper, deadline: deadline, preview: preview, title: title, notice: notice))
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    /// The page Leaf would render for `context`, from the skeleton of its shape.
    static func html(_ req: Request, _ context: Context) async throws -> String {
        let chrome = context.page
        let shape = [chrome.lang, String(context.preview), String(chrome.user != nil), String(chrome.unverifiedEmail), String(chrome.notice != nil),
                     chrome.script ?? "", chrome.refresh.map(String.init) ?? ""]
            + chrome.nav.map { $0.href + ($0.active ? "*" : "") }
        let skeleton = try await skeletons.skeleton(shape.joined(separator: "|")) { try await renderMarked(req, context) }
        let escape = HTMLText.escape
        return skeleton.fill([
            escape(chrome.title), escape(chrome.path), escape(chrome.user?.name ?? ""), req.csrfToken ?? "", escape(chrome.notice ?? ""),
            escape(context.path), escape(context.deadline), escape(context.now), escape(context.deadlineText), escape(context.lastSeq),
            context.paper, // #unsafeHTML: the paper is HTML already, every value in it escaped (PaperHTML)
        ])
    }

    /// Leaf's page with a marker in place of each value `html` fills in, in the same order.
    private static func renderMarked(_ req: Request, _ context: Context) async throws -> String {
        var marked = context
        let m = PageSkeleton.marker
        marked.page.title = m(0)
        marked.page.path = m(1)
        if let user = marked.page.user { marked.page.user = PageChrome.Person(name: m(2), email: user.email) }
        if marked.page.notice != nil { marked.page.notice = m(4) }
        (marked.path, marked.deadline, marked.now, marked.deadlineText, marked.lastSeq, marked.paper) = (m(5), m(6), m(7), m(8), m(9), m(10))
        // `#csrf()` writes the request's token; the skeleton is rendered with a marker instead.
        let token = req.csrfToken
        req.csrfToken = m(3)
        defer { req.csrfToken = token }
        let view = try await req.view.render(template, marked)
        return String(buffer: view.data)
    }
}
