import Vapor

/// Chooses the language: the switch's cookie, then the person's saved choice, then the
/// browser's Accept-Language, then the academy's default.
struct LocaleMiddleware: AsyncMiddleware {
    static let cookieName = "cadet_lang"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let config = request.application.config
        let chosen = request.sentCookies[Self.cookieName].flatMap { AppLocale(rawValue: $0.string) }
            ?? request.currentUser?.locale
            ?? AppLocale.preferred(acceptLanguage: request.headers.first(name: .acceptLanguage))
            ?? config.defaultLocale
        request.localizer = Localizer(locale: chosen, timeZone: config.timeZone)
        return try await next.respond(to: request)
    }
}
