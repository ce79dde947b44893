import CoreMetrics
import Fluent
import Foundation
import Prometheus
import Vapor

/// Prometheus metrics. Vapor counts requests and latencies per route through swift-metrics;
/// the database and the grading queue are sampled when /metrics is scraped, from the database,
/// so every app instance reports the same shared queue.
enum CadetMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// swift-metrics can be bootstrapped once per process; tests build many apps.
    private static let bootstrapped: Bool = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                                   .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]
        MetricsSystem.bootstrap(factory)
        return true
    }()

    static func bootstrap() {
        _ = bootstrapped
    }

    static let databaseUp = gauge("database", "up", "", "1 when the database answered the last scrape's query")
    static let databasePing = gauge("database", "ping", "seconds", "Time of a trivial query, pool checkout included")
    static let poolSize = gauge("database", "pool", "connections", "Connections the pool may open per event loop")
    static let queueDepth = gauge("grading", "queue_depth", "", "Grading jobs waiting for a worker")
    static let latencyP50 = gauge("grading", "latency", "seconds", "Submit-to-verdict time over the last 10 minutes", quantile: "0.5")
    static let latencyP95 = gauge("grading", "latency", "seconds", "Submit-to-verdict time over the last 10 minutes", quantile: "0.95")
    static let graded = gauge("grading", "finished_recent", "", "Jobs finished in the last 10 minutes")

    private static func gauge(_ subsystem: String, _ name: String, _ unit: String, _ help: String, quantile: String? = nil) -> Prometheus.Gauge {
        let descriptor = MetricNameDescriptor(namespace: "cadet", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
        guard let quantile else { return registry.makeGauge(descriptor: descriptor) }
        return registry.makeGauge(descriptor: descriptor, labels: [("quantile", quantile)])
    }

    static func sample(_ app: Application) async {
        poolSize.set(to: Double(app.config.databasePoolSize))
        let started = ContinuousClock.now
        do {
            _ = try await (app.db as! any SQLDatabase).raw("SELECT 1 AS one").first()
            databaseUp.set(to: 1)
            let elapsed = ContinuousClock.now - started
            databasePing.set(to: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            let queue = GradingQueue(database: app.db)
            queueDepth.set(to: Double(try await queue.depth()))
            let latencies = try await queue.recentLatencies().sorted()
            graded.set(to: Double(latencies.count))
            latencyP50.set(to: percentile(latencies, 0.5))
            latencyP95.set(to: percentile(latencies, 0.95))
        } catch {
            databaseUp.set(to: 0)
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

import SQLKit

/// /healthz for load balancers, /metrics for Prometheus, /assets for the stylesheet.
enum PlatformController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
        routes.get("assets", ":file", use: asset)
    }

    struct Health: Content {
        let status: String
        let database: String
    }

    @Sendable static func health(_ req: Request) async throws -> Response {
        do {
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1 AS one").first()
            return try await Health(status: "ok", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.error("health check: database unreachable", metadata: ["error": .string(String(describing: error))])
            return try await Health(status: "unavailable", database: "unreachable").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    /// Metrics tell an outsider how busy the academy is and when a test runs: with
    /// CADET_METRICS_TOKEN set, Prometheus sends it as a bearer token; without it only the
    /// machine itself may scrape, and not through a reverse proxy on the same machine.
    @Sendable static func metrics(_ req: Request) async throws -> Response {
        if let token = req.application.config.metricsToken {
            guard let presented = req.headers.bearerAuthorization?.token, Tokens.constantTimeEqual(presented, token) else {
                throw AccessError.forbidden
            }
        } else {
            let proxied = req.headers.contains(name: .xForwardedFor) || req.headers.contains(name: .forwarded)
            guard ClientAddress.isLoopback(req.remoteAddress?.ipAddress), !proxied else { throw AccessError.forbidden }
        }
        await CadetMetrics.sample(req.application)
        let response = Response(status: .ok, body: .init(string: CadetMetrics.registry.emitToString()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return response
    }

    @Sendable static func asset(_ req: Request) async throws -> Response {
        guard let name = req.parameters.get("file"), let asset = Assets.shared.files[name] else { throw PlatformError.notFound }
        let response = Response(status: .ok, body: .init(data: asset.data))
        response.headers.contentType = asset.type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}

/// The stylesheet and scripts, read once from the bundle. Only these are served.
struct Assets: Sendable {
    struct File: Sendable {
        let data: Data
        let type: HTTPMediaType
    }

    let files: [String: File]

    static let shared: Assets = {
        var files: [String: File] = [:]
        // Every stylesheet and script a capability ships in Resources/Public, by its extension.
        let types = ["css": HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]),
                     "js": HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])]
        let directory = Bundle.module.url(forResource: "Public", withExtension: nil, subdirectory: "Resources")
        for url in (try? FileManager.default.contentsOfDirectory(at: directory ?? URL(fileURLWithPath: "/nonexistent"), includingPropertiesForKeys: nil)) ?? [] {
            if let type = types[url.pathExtension], let data = try? Data(contentsOf: url) {
                files[url.lastPathComponent] = File(data: data, type: type)
            }
        }
        return Assets(files: files)
    }()
}
