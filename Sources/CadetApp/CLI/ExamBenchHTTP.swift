import Foundation
import NIOCore
import NIOHTTP1

/// One taker's HTTP: their own kept-alive connection, cookies, the CSRF token, and retrying as a
/// browser's script does when the connection fails or the server is down (5xx), never when the
/// server refuses (4xx).
struct BenchHTTP: Sendable {
    let connection: BenchConnection
    let recorder: ExamBenchRun.Recorder

    init(server: BenchServer, recorder: ExamBenchRun.Recorder) {
        connection = BenchConnection(port: server.port)
        self.recorder = recorder
    }

    struct Session: Sendable {
        let cookie: String
        let csrf: String
    }

    /// The landing page: where the CSRF cookie and token come from.
    func landing(_ taker: ExamBenchSetup.Taker) async throws -> Session {
        let headers = [("Cookie", "\(SessionMiddleware.cookieName)=\(taker.sessionToken)"), ("Accept-Language", "en")]
        for attempt in 0..<30 {
            do {
                let response = try await connection.send(.GET, "/exams/\(taker.attemptID.uuidString.lowercased())", headers: headers, timeout: .seconds(60))
                guard response.status == 200,
                      let csrfCookie = response.headers["set-cookie"].first(where: { $0.hasPrefix(CSRFMiddleware.cookieName + "=") })?
                        .split(separator: ";").first.map(String.init),
                      let token = ExamBenchTaker.first(after: "name=\"_csrf\" value=\"", in: response.body) else {
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
        let body = ByteBuffer(string: "_csrf=" + (session.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        return await send(.POST, path, [("Content-Type", "application/x-www-form-urlencoded")], body: body, session: session, expect: expect, alsoFine: alsoFine)
    }

    func json(_ path: String, session: Session, body: Data) async -> String? {
        await send(.POST, path, [("Content-Type", "application/json"), ("Accept", "application/json"), ("X-CSRF-Token", session.csrf)],
                   body: ByteBuffer(data: body), session: session, expect: [200])
    }

    func get(_ path: String, session: Session, expect: UInt, json: Bool = false) async -> String? {
        await send(.GET, path, json ? [("Accept", "application/json")] : [], session: session, expect: [expect])
    }

    /// The baseline: the cheapest request the server answers, timed under the same load.
    func health() async -> Double? {
        let began = ContinuousClock.now
        guard let response = try? await connection.send(.GET, "/healthz", headers: [], timeout: .seconds(10)), response.status == 200 else { return nil }
        return BenchClock.seconds(since: began) * 1000
    }

    private func send(_ method: HTTPMethod, _ path: String, _ headers: [(String, String)], body: ByteBuffer? = nil, session: Session,
                      expect: Set<UInt>, alsoFine: String? = nil) async -> String? {
        let headers = headers + [("Cookie", session.cookie), ("Accept-Language", "en")]
        let label = "\(method) " + (path.split(separator: "/").dropFirst(2).first { $0.count < 30 }.map(String.init) ?? "")
        for _ in 0..<180 {
            recorder.note { $0.requests += 1 }
            do {
                let response = try await connection.send(method, path, headers: headers, body: body, timeout: .seconds(60))
                if expect.contains(response.status) { return response.body }
                if let alsoFine, response.body.contains(alsoFine) { return response.body }
                if response.status < 500 {
                    recorder.error("\(label) \(response.status) \(ExamBenchTaker.first(after: "\"code\":\"", in: response.body) ?? "")")
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
