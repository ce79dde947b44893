import Vapor

/// Cadet's middleware, run one after another in a single task, and the route's async handler in
/// the same task.
///
/// Vapor runs each `AsyncMiddleware` it is given in a task of its own and hands every response
/// back through the event loop: with six of them, a request crossed between the event loop's
/// thread and Swift's threads fourteen times or more, and on a machine where waking a thread is
/// dear, a `/healthz` spent most of its CPU on those crossings (docs/exams.md, "3 December:
/// crossings between threads"). Here the steps call each other directly: a request crosses into Swift's threads
/// once and back once. Each step is still an `AsyncMiddleware` and means the same.
struct RequestChain: Middleware {
    let steps: [any AsyncMiddleware]

    init(_ steps: [any AsyncMiddleware]) {
        self.steps = steps
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // A route's async handler is the responder that follows. A route with a chain of its own
        // (the API's) is reached through Vapor's, and its chain starts one more task.
        let last = (next as? any AsyncResponder) ?? AsyncBasicResponder { try await next.respond(to: $0).get() }
        let promise = request.eventLoop.makePromise(of: Response.self)
        promise.completeWithTask { try await Step(steps: steps[...], last: last).respond(to: request) }
        return promise.futureResult
    }

    private struct Step: AsyncResponder {
        let steps: ArraySlice<any AsyncMiddleware>
        let last: any AsyncResponder

        func respond(to request: Request) async throws -> Response {
            guard let first = steps.first else { return try await last.respond(to: request) }
            return try await first.respond(to: request, chainingTo: Step(steps: steps.dropFirst(), last: last))
        }
    }
}
