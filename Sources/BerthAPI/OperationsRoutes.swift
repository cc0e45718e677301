import BerthCore
import HTTPServer

/// Operational endpoints: `GET /metrics` (Prometheus text), `GET /api/v2.0/health` (Harbor's shape) and
/// `GET /api/v2.0/ping` (`Pong`).
public struct OperationsRoutes: Sendable {
    let metrics: MetricsCatalog?
    let checks: [HealthCheck]
    let checkTimeoutSeconds: Double

    /// `metrics` nil leaves `/metrics` unregistered. Health components run concurrently, each limited to
    /// `checkTimeoutSeconds` (a check that takes longer is reported unhealthy).
    public init(metrics: MetricsCatalog?, checks: [HealthCheck] = [], checkTimeoutSeconds: Double = 10) {
        self.metrics = metrics
        self.checks = checks
        self.checkTimeoutSeconds = checkTimeoutSeconds
    }

    /// Adds the routes to `router`.
    public func register(on router: inout HTTPRouter) {
        if let metrics {
            router.add(.get, "/metrics") { _ in
                HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", MetricsRegistry.contentType)]),
                             body: .bytes(Array(metrics.registry.render().utf8)))
            }
        }
        router.add(.get, "/api/v2.0/ping") { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
                         body: .bytes(Array("Pong".utf8)))
        }
        router.add(.get, "/api/v2.0/health") { _ in
            let report = await health()
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]),
                                body: .bytes(Array(report.json.utf8)))
        }
    }

    /// Runs every check and summarizes them (also sets `harbor_health` and `harbor_up`).
    public func health() async -> HealthReport {
        let timeout = checkTimeoutSeconds
        let results = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await Self.run(check, timeoutSeconds: timeout)) }
            }
            var errors = [String?](repeating: nil, count: checks.count)
            for await (index, error) in group { errors[index] = error }
            return errors
        }
        let components = zip(checks, results).map { HealthReport.Component(name: $0.name, error: $1) }
        let report = HealthReport(components: components)
        if let metrics {
            metrics.harborHealth.set(report.isHealthy ? 1.0 : 0.0)
            for component in components { metrics.harborUp.child([component.name]).set(component.error == nil ? 1.0 : 0.0) }
        }
        return report
    }

    /// Runs one check with a deadline; returns nil when healthy, the error text otherwise.
    private static func run(_ check: HealthCheck, timeoutSeconds: Double) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do { try await check.check(); return nil } catch { return String(describing: error) }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(timeoutSeconds * 1000)))
                return Task.isCancelled ? nil : "timed out after \(timeoutSeconds) seconds"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
