import CadetCore
import Vapor

extension PageSkeletons {
    /// The page Leaf would render from `template` with `context`, filled in from the skeleton of
    /// its shape. The layout's values (title, address, the person's name, the form token, the
    /// notice) are filled in here. The page puts a marker in place of each of its own values in
    /// `mark` (`own(i)` for `values[i]`) and gives them in `values`, escaped as Leaf would.
    /// `shape` is whatever else changes the page's structure.
    func page<Context: Encodable>(_ req: Request, template: String, context: Context, chrome: WritableKeyPath<Context, PageChrome>,
                                  shape: [String], values: [String],
                                  mark: (_ context: inout Context, _ own: (Int) -> String) -> Void) async throws -> String {
        let layout = context[keyPath: chrome]
        let key = [template, layout.lang, String(layout.user != nil), String(layout.unverifiedEmail), String(layout.notice != nil),
                   layout.script ?? "", layout.refresh.map(String.init) ?? ""] + layout.nav.map { $0.href + ($0.active ? "*" : "") } + ["|"] + shape
        let skeleton = try await skeleton(key.joined(separator: "|")) {
            var marked = context
            let m = PageSkeleton.marker
            marked[keyPath: chrome].title = m(0)
            marked[keyPath: chrome].path = m(1)
            if let user = layout.user { marked[keyPath: chrome].user = PageChrome.Person(name: m(2), email: user.email) }
            if layout.notice != nil { marked[keyPath: chrome].notice = m(4) }
            mark(&marked) { m(5 + $0) } // 0–4 are the layout's
            // `#csrf()` writes the request's token; the skeleton is rendered with a marker instead.
            let token = req.csrfToken
            req.csrfToken = m(3)
            defer { req.csrfToken = token }
            return String(buffer: try await req.view.render(template, marked).data)
        }
        let escape = HTMLText.escape
        return skeleton.fill([escape(layout.title), escape(layout.path), escape(layout.user?.name ?? ""), req.csrfToken ?? "",
                              escape(layout.notice ?? "")] + values)
    }
}

extension Response {
    /// An HTML page made without Leaf's renderer (from a skeleton, say).
    static func html(_ html: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }
}
