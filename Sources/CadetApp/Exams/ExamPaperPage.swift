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
        .html(try await html(req, context(req, path: path, paper: paper, deadline: deadline, preview: preview, title: title, notice: notice)))
    }

    /// The page Leaf would render for `context`, from the skeleton of its shape.
    static func html(_ req: Request, _ context: Context) async throws -> String {
        let escape = HTMLText.escape
        let values = [escape(context.path), escape(context.deadline), escape(context.now), escape(context.deadlineText), escape(context.lastSeq),
                      context.paper] // #unsafeHTML: the paper is HTML already, every value in it escaped (PaperHTML)
        return try await skeletons.page(req, template: template, context: context, chrome: \.page, shape: [String(context.preview)], values: values) { page, own in
            (page.path, page.deadline, page.now, page.deadlineText, page.lastSeq, page.paper) = (own(0), own(1), own(2), own(3), own(4), own(5))
        }
    }
}
