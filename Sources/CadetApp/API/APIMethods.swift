import Vapor

/// For an /api/v1 path that exists with other methods, 405 with the methods it has in Allow
/// (the router alone would answer 404, as if the path did not exist).
struct APIMethods: AsyncMiddleware {
    /// Each API route's path, as components, with its methods.
    let routes: [(path: [PathComponent], methods: Set<String>)]

    init(_ app: Application) {
        var byPath: [String: ([PathComponent], Set<String>)] = [:]
        for route in app.routes.all where route.path.first?.description == "api" {
            let key = route.path.map(\.description).joined(separator: "/")
            byPath[key, default: (route.path, [])].1.insert(route.method.rawValue)
        }
        routes = byPath.values.map { ($0.0, $0.1) }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.isAPI else { return try await next.respond(to: request) }
        let parts = request.url.path.split(separator: "/").map(String.init)
        let matching = routes.filter { route in
            route.path.count == parts.count && zip(route.path, parts).allSatisfy { component, part in
                if case .constant(let text) = component { return text == part }
                return true
            }
        }
        let methods = matching.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        let allowed = methods.contains("GET") ? methods.union(["HEAD"]) : methods
        if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
            throw APIMethodNotAllowed(allowed: allowed.sorted())
        }
        return try await next.respond(to: request)
    }
}

struct APIMethodNotAllowed: AppError {
    let allowed: [String]
    var code: String { "api.method_not_allowed" }
    var status: HTTPResponseStatus { .methodNotAllowed }
    var messageKey: String { "error.method_not_allowed" }
    var headers: HTTPHeaders { ["Allow": allowed.joined(separator: ", ")] }
}
