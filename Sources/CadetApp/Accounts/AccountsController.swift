import CadetCore
import Vapor

/// Sign-in, sign-up, sign-out and the language switch.
enum AccountsController {
    struct SignInPage: Encodable {
        let page: PageChrome
        let form: FormState
        let next: String
    }

    static func register(_ routes: any RoutesBuilder) {
        routes.get("signin", use: signInForm)
        routes.post("signin", use: signIn)
        routes.get("signup", use: signUpForm)
        routes.post("signup", use: signUp)
        routes.post("signout", use: signOut)
        routes.post("language", use: switchLanguage)
    }

    @Sendable static func signInForm(_ req: Request) async throws -> Response {
        let next = Request.safeLocalPath(try? req.query.get(String.self, at: "next"))
        if req.currentUser != nil { return req.redirect(to: next) }
        return try await req.render("accounts/signin", SignInPage(page: PageChrome(req, title: req.localizer("signin.title")), form: .empty, next: next))
    }

    @Sendable static func signIn(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        let next = Request.safeLocalPath(values["next"])
        do {
            let user = try await AccountService(req).signIn(email: values["email"] ?? "", password: values["password"] ?? "", address: req.clientAddress)
            let response = req.redirect(to: next)
            // A new session for every sign-in: an old cookie (perhaps planted) is not reused.
            try await Sessions.end(on: req, response: response)
            try await Sessions.start(for: user, on: req, response: response)
            return response
        } catch let error as AccountError {
            let t = req.localizer
            let form = FormState(values: values, failure: nil, formError: t(error.messageKey, error.messageArguments), t)
            return try await req.render("accounts/signin", SignInPage(page: PageChrome(req, title: t("signin.title")), form: form, next: next), status: error.status)
        }
    }

    struct SignUpPage: Encodable {
        let page: PageChrome
        let form: FormState
    }

    @Sendable static func signUpForm(_ req: Request) async throws -> Response {
        try await req.render("accounts/signup", SignUpPage(page: PageChrome(req, title: req.localizer("signup.title")), form: .empty))
    }

    @Sendable static func signUp(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        do {
            let user = try await AccountService(req).signUp(values, actor: req.actor)
            let response = req.redirect(to: "/", notice: "notice.welcome")
            try await Sessions.start(for: user, on: req, response: response)
            return response
        } catch let failure as ValidationFailure {
            let t = req.localizer
            return try await req.render("accounts/signup", SignUpPage(page: PageChrome(req, title: t("signup.title")), form: FormState(values: values, failure: failure, t)), status: .unprocessableEntity)
        }
    }

    @Sendable static func signOut(_ req: Request) async throws -> Response {
        let response = req.redirect(to: "/signin", notice: "notice.signed_out")
        try await Sessions.end(on: req, response: response)
        return response
    }

    /// Switches the language and remembers it: in a cookie, and on the account when signed in.
    @Sendable static func switchLanguage(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        guard let locale = values["lang"].flatMap(AppLocale.init(rawValue:)) else {
            throw PlatformError.badRequest("lang must be ko or en")
        }
        if let user = req.currentUser, let record = try await User.find(user.id, on: req.db) {
            record.locale = locale.rawValue
            try await record.update(on: req.db)
        }
        let response = req.redirect(to: Request.safeLocalPath(values["next"]))
        response.cookies[LocaleMiddleware.cookieName] = HTTPCookies.Value(
            string: locale.rawValue, expires: nil, maxAge: 365 * 24 * 3600, domain: nil, path: "/",
            isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
