import Vapor

/// Where /api/v1 starts: the public OpenAPI document, and behind it every capability's
/// operations, each behind token authentication, the rate limit and ETags.
enum APIAccess {
    static let base: [PathComponent] = ["api", "v1"]

    static func routes(_ app: Application) -> any RoutesBuilder {
        let root = app.grouped(base)
        root.get("openapi.json", use: OpenAPIDocument.serve)
        return root.grouped(RequestChain([APIAuthentication(limit: app.config.apiRateLimit), APIETag()]))
    }
}
