import LeafKit
import Vapor

/// `#t("key")` or `#t("key", "name", value, …)`: catalogue text in the request's language.
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else {
            throw LeafError(.unknownError("#t() needs a catalogue key"))
        }
        var arguments: [String: String] = [:]
        var rest = ctx.parameters.dropFirst()
        while let name = rest.first?.string, let value = rest.dropFirst().first {
            arguments[name] = value.string ?? ""
            rest = rest.dropFirst(2)
        }
        let localizer = ctx.request?.localizer ?? Localizer(locale: .english, timeZone: .current)
        return .string(localizer(key, arguments))
    }
}

/// `#csrf()`: the hidden form field every state-changing form carries.
struct CSRFFieldTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        let token = ctx.request?.csrfToken ?? ""
        // The token is URL-safe base64, so it needs no escaping inside the attribute.
        return .string("<input type=\"hidden\" name=\"\(CSRFMiddleware.fieldName)\" value=\"\(token)\">")
    }
}
