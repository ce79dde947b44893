import CadetCore
import Vapor

/// What every page's layout needs: title, language, the person, the navigation.
struct PageChrome: Encodable {
    struct NavItem: Encodable {
        let href: String
        let label: String
        let active: Bool
    }

    struct Person: Encodable {
        let name: String
        let email: String
    }

    var title: String
    let lang: String
    let otherLang: String
    let otherLangLabel: String
    var path: String
    var user: Person?
    let nav: [NavItem]
    var notice: String?
    /// The signed-in person has not yet proved their e-mail address.
    let unverifiedEmail: Bool
    /// A script from /assets this page needs (the exam page's saving and clock).
    var script: String?
    /// Seconds after which the page reloads itself (live pages, pending checks).
    var refresh: Int?

    init(_ request: Request, title: String) {
        let t = request.localizer
        self.title = title
        self.lang = t.locale.rawValue
        self.otherLang = t.locale.other.rawValue
        self.otherLangLabel = t("language.\(t.locale.other.rawValue)")
        self.path = request.url.path
        self.user = request.currentUser.map { Person(name: $0.name, email: $0.email) }
        self.unverifiedEmail = request.currentUser.map { !$0.emailVerified } ?? false
        // Notices come back from redirects as catalogue keys; only `notice.*` keys are shown.
        self.notice = (try? request.query.get(String.self, at: "notice")).flatMap { key in
            key.hasPrefix("notice.") && Catalogue.shared.has(key) ? t(key) : nil
        }
        self.nav = PageChrome.navigation(for: request.currentUser, path: request.url.path, t)
    }

    /// Every capability's links this person may see, in their order.
    static let links = Capabilities.all.flatMap(\.navigation).sorted { $0.order < $1.order }

    private static func navigation(for user: CurrentUser?, path: String, _ t: Localizer) -> [NavItem] {
        links.filter { $0.visible(user) }.map { link in
            NavItem(href: link.href, label: t(link.label), active: link.href == "/" ? path == "/" : path.hasPrefix(link.href))
        }
    }
}

/// Turns a field problem into a sentence that names the field, in the reader's language.
enum FieldMessages {
    static func message(for issue: FieldIssue, _ t: Localizer) -> String {
        let field = label(issue.field, t)
        switch issue.kind {
        case .required: return t("issue.required", ["field": field])
        case .tooShort(let minimum): return t("issue.too_short", ["field": field, "minimum": String(minimum)])
        case .tooLong(let maximum): return t("issue.too_long", ["field": field, "maximum": String(maximum)])
        case .invalidFormat:
            // Fields with a format of their own (slug, e-mail) say what it is; others say it plainly.
            let specific = "issue.invalid_format.\(issue.field)"
            return t(Catalogue.shared.has(specific) ? specific : "issue.invalid_format", ["field": field])
        case .notAWholeNumber: return t("issue.not_a_number", ["field": field])
        case .outOfRange(let minimum, let maximum): return t("issue.out_of_range", ["field": field, "minimum": String(minimum), "maximum": String(maximum)])
        case .invalidDate: return t("issue.invalid_date", ["field": field])
        case .mustNotPrecede(let other): return t("issue.must_not_precede", ["field": field, "other": t("field.\(other)")])
        case .alreadyTaken: return t("issue.already_taken", ["field": field])
        case .unknownChoice: return t("issue.unknown_choice", ["field": field])
        case .noAccount: return t("issue.no_account", ["field": field])
        case .ineligible: return t("issue.ineligible", ["field": field])
        case .closed: return t("issue.closed", ["field": field])
        case .mismatch(let other): return t("issue.mismatch", ["field": field, "other": t("field.\(other)")])
        case .controlCharacters: return t("issue.control_characters", ["field": field])
        case .lastsUnder(let minutes): return t("issue.lasts_under", ["field": field, "minutes": String(minutes)])
        }
    }

    /// A field's name; answers to a round's own questions and reviewers' scores are shown next
    /// to their question, so a general word is enough there.
    static func label(_ field: String, _ t: Localizer) -> String {
        if Catalogue.shared.has("field.\(field)") { return t("field.\(field)") }
        if field.hasPrefix("q_") { return t("field.answer") }
        if field.hasPrefix("score_") { return t("field.score") }
        // A roster names each trainee's fields by their id.
        if field.hasPrefix("status_") { return t("field.status") }
        if field.hasPrefix("minutes_") { return t("field.minutes") }
        return t("field.\(field)")
    }

    /// field → message, for a form's template.
    static func messages(_ failure: ValidationFailure?, _ t: Localizer) -> [String: String] {
        guard let failure else { return [:] }
        var result: [String: String] = [:]
        for issue in failure.issues where result[issue.field] == nil {
            result[issue.field] = message(for: issue, t)
        }
        return result
    }
}
