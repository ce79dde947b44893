import CadetCore
import Vapor

/// The context of a page whose form may come back with problems: the values typed, a message
/// per field, and one message for the whole form.
struct FormState: Encodable {
    var values: [String: String]
    var errors: [String: String]
    var formError: String?

    static let empty = FormState(values: [:], errors: [:], formError: nil)

    init(values: [String: String], errors: [String: String], formError: String?) {
        self.values = values
        self.errors = errors
        self.formError = formError
    }

    /// Passwords and tokens never go back into a page.
    init(values: [String: String], failure: ValidationFailure?, formError: String? = nil, _ t: Localizer) {
        self.values = values.filter { !$0.key.contains("password") && $0.key != "_csrf" && $0.key != "token" }
        self.errors = FieldMessages.messages(failure, t)
        self.formError = formError ?? (failure == nil ? nil : t("error.validation"))
    }
}

extension Request {
    func render(_ template: String, _ context: some Encodable, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await view.render(template, context).encodeResponse(status: status, for: self)
    }

    /// A redirect after a successful form, with a notice key the next page shows.
    func redirect(to path: String, notice: String) -> Response {
        redirect(to: path + (path.contains("?") ? "&" : "?") + "notice=\(notice)")
    }

    /// Only paths on this site: `next=https://evil.example` must not turn sign-in into an open
    /// redirect. Browsers drop tabs and line breaks from a URL and read `\` as `/`, so
    /// `/<tab>/evil.example` is `//evil.example` to them: any control character, space or
    /// backslash refuses the path, as does a second leading slash.
    static func safeLocalPath(_ candidate: String?) -> String {
        guard let candidate, candidate.utf8.count < 500, candidate.hasPrefix("/"), !candidate.hasPrefix("//"),
              candidate.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" }) else {
            return "/"
        }
        return candidate
    }
}

extension Array {
    /// Templates test a list with `#if(list):`, which is true for any list that is present.
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
