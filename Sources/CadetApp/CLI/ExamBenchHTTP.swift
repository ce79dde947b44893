import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The takers' HTTP: cookies, the CSRF token, and retrying as a browser's script does when the
/// connection fails or the server is down (5xx), never when the server refuses (4xx).
struct BenchHTTP: Sendable {
    let client: HTTPClient
    let base: String
    let recorder: ExamBenchRun.Recorder

    struct Session: Sendable {
        let cookie: String
        let csrf: String
    }

    /// The landing page: where the CSRF cookie and token come from.
    func landing(_ taker: ExamBenchSetup.Taker) async throws -> Session {
        var request = HTTPClientRequest(url: base + "/exams/\(taker.attemptID.uuidString.lowercased())")
        request.headers.add(name: "Cookie", value: "\(SessionMiddleware.cookieName)=\(taker.sessionToken)")
        request.headers.add(name: "Accept-Language", value: "en")
        for attempt in 0..<30 {
            do {
                let response = try await client.execute(request, timeout: .seconds(60))
                let body = String(buffer: try await response.body.collect(upTo: 4 << 20))
                guard response.status == .ok,
                      let csrfCookie = response.headers["set-cookie"].first(where: { $0.hasPrefix(CSRFMiddleware.cookieName + "=") })?
                        .split(separator: ";").first.map(String.init),
                      let token = ExamBenchTaker.first(after: "name=\"_csrf\" value=\"", in: body) else {
                    throw CommandFailure("the landing page answered \(response.status) without a form token")
                }
                return Session(cookie: "\(SessionMiddleware.cookieName)=\(taker.sessionToken); \(csrfCookie)", csrf: token)
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                if attempt == 29 { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        throw CommandFailure("unreachable")
    }

    func form(_ path: String, session: Session, expect: Set<UInt>, alsoFine: String? = nil) async -> String? {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "_csrf=" + (session.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
        return await send(request, session: session, expect: expect, alsoFine: alsoFine)
    }

    func json(_ path: String, session: Session, body: Data) async -> String? {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "X-CSRF-Token", value: session.csrf)
        request.body = .bytes(ByteBuffer(data: body))
        return await send(request, session: session, expect: [200])
    }

    func get(_ path: String, session: Session, expect: UInt, json: Bool = false) async -> String? {
        var request = HTTPClientRequest(url: base + path)
        if json { request.headers.add(name: "Accept", value: "application/json") }
        return await send(request, session: session, expect: [expect])
    }

    /// The baseline: the cheapest request the server answers, timed under the same load.
    func health() async -> Double? {
        let began = ContinuousClock.now
        guard let response = try? await client.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(10)),
              response.status == .ok, (try? await response.body.collect(upTo: 1 << 16)) != nil else { return nil }
        return BenchClock.seconds(since: began) * 1000
    }

    private func send(_ original: HTTPClientRequest, session: Session, expect: Set<UInt>, alsoFine: String? = nil) async -> String? {
        var request = original
        request.headers.add(name: "Cookie", value: session.cookie)
        request.headers.add(name: "Accept-Language", value: "en")
        let label = "\(request.method) " + (request.url.split(separator: "/").dropFirst(4).first { $0.count < 30 }.map(String.init) ?? "")
        for _ in 0..<180 {
            recorder.note { $0.requests += 1 }
            do {
                let response = try await client.execute(request, timeout: .seconds(60))
                let body = String(buffer: try await response.body.collect(upTo: 4 << 20))
                if expect.contains(response.status.code) { return body }
                if let alsoFine, body.contains(alsoFine) { return body }
                if response.status.code < 500 {
                    recorder.error("\(label) \(response.status.code) \(ExamBenchTaker.first(after: "\"code\":\"", in: body) ?? "")")
                    return nil
                }
            } catch {
                // The connection failed (the server is down, or restarting): try again.
            }
            recorder.note { $0.retries += 1 }
            try? await Task.sleep(for: .seconds(1))
        }
        recorder.error("\(label): gave up after 3 minutes")
        return nil
    }
}
