import CadetCore
import Vapor

/// Sign-in, sign-up, sign-out, unlocking sign-in, and the language switch.
enum AccountsController {
    struct SignInPage: Encodable {
        let page: PageChrome
        let form: FormState
        let next: String
        /// Shown when sign-in is held back: the owner can have an unlock link e-mailed.
        var locked = false
    }

    static func register(_ routes: any RoutesBuilder) {
        routes.get("signin", use: signInForm)
        routes.post("signin", use: signIn)
        routes.post("signin", "unlock", use: requestUnlock)
        routes.get("signin", "unlock", use: unlock)
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
        let secret = try await req.application.secrets.key(on: req.db)
        do {
            let user = try await AccountService(req).signIn(email: values["email"] ?? "", password: values["password"] ?? "", address: req.clientAddress,
                                                            device: req.cookies[KnownDevice.cookieName]?.string, secret: secret)
            let response = req.redirect(to: next)
            // A new session for every sign-in: an old cookie (perhaps planted) is not reused.
            try await Sessions.end(on: req, response: response)
            try await Sessions.start(for: user, on: req, response: response)
            KnownDevice.remember(try user.requireID(), on: response, secret: secret, secure: req.application.config.secureCookies)
            return response
        } catch let error as AccountError {
            let t = req.localizer
            let form = FormState(values: values.filter { $0.key == "email" }, failure: nil, formError: t(error.messageKey, error.messageArguments), t)
            var page = SignInPage(page: PageChrome(req, title: t("signin.title")), form: form, next: next)
            if case .throttled = error { page.locked = true }
            return try await req.render("accounts/signin", page, status: error.status)
        }
    }

    /// Mails the account's owner a link that lets this browser sign in while the account (or
    /// the address) is held back. Answers the same whether or not the address has an account.
    @Sendable static func requestUnlock(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        try await ThrottleStore.spendMailRequest(from: req.clientAddress, on: req.db)
        try await KnownDevice.sendUnlockLink(email: values["email"] ?? "", on: req)
        return req.redirect(to: "/signin", notice: "notice.unlock_sent")
    }

    @Sendable static func unlock(_ req: Request) async throws -> Response {
        let token = (try? req.query.get(String.self, at: "token")) ?? ""
        let secret = try await req.application.secrets.key(on: req.db)
        guard let subject = SignedToken.open(token, .unlockSignIn, secret: secret), let userID = UUID(uuidString: subject),
              try await User.find(userID, on: req.db) != nil else {
            throw AccountError.unlockLinkInvalid
        }
        let response = req.redirect(to: "/signin", notice: "notice.unlocked")
        KnownDevice.remember(userID, on: response, secret: secret, secure: req.application.config.secureCookies)
        return response
    }

    struct SignUpPage: Encodable {
        let page: PageChrome
        let form: FormState
        /// The address a link went to, once the form is sent.
        var sentTo: String?
    }

    @Sendable static func signUpForm(_ req: Request) async throws -> Response {
        try await req.render("accounts/signup", SignUpPage(page: PageChrome(req, title: req.localizer("signup.title")), form: .empty))
    }

    /// Never signs anyone in: whether the address was new or already had an account, the
    /// answer is "we sent you a link", and only the mailbox's reader can go on.
    @Sendable static func signUp(_ req: Request) async throws -> Response {
        let values = try req.formValues()
        let t = req.localizer
        do {
            try await ThrottleStore.spendMailRequest(from: req.clientAddress, on: req.db)
            let draft = try await AccountService(req).signUp(values, verification: try await AccountController.verification(req), localizer: t, actor: req.actor)
            return try await req.render("accounts/signup", SignUpPage(page: PageChrome(req, title: t("signup.title")), form: .empty, sentTo: draft.email))
        } catch let failure as ValidationFailure {
            return try await req.render("accounts/signup", SignUpPage(page: PageChrome(req, title: t("signup.title")),
                                                                      form: FormState(values: values.filter { !$0.key.hasPrefix("password") }, failure: failure, t)),
                                        status: .unprocessableEntity)
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
