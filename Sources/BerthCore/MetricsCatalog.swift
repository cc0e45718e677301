import Synchronization

/// Berth's standard metrics on one registry: HTTP traffic (recorded by the HTTP server), gauges the
/// application sets, and the Harbor exporter names where they apply (registered here, values set later).
public final class MetricsCatalog: Sendable {
    /// The registry everything is registered on (render it for `GET /metrics`).
    public let registry: MetricsRegistry

    /// `berth_http_requests_total{method,route,code}`.
    public let httpRequests: MetricsFamily<MetricsCounter>
    /// `berth_http_request_duration_seconds{method,route}`.
    public let httpDuration: MetricsFamily<MetricsHistogram>
    /// `berth_http_bytes_sent_total{method,route}` (head and body).
    public let httpBytesSent: MetricsFamily<MetricsCounter>
    /// `berth_http_bytes_received_total{method,route}` (head and body).
    public let httpBytesReceived: MetricsFamily<MetricsCounter>

    /// `berth_upload_sessions` (open blob upload sessions).
    public let uploadSessions: MetricsGauge
    /// `berth_job_queue_depth{type}`.
    public let jobQueueDepth: MetricsFamily<MetricsGauge>
    /// `berth_storage_used_bytes{project_name}`.
    public let storageUsed: MetricsFamily<MetricsGauge>

    /// `harbor_project_total{public}`.
    public let harborProjectTotal: MetricsFamily<MetricsGauge>
    /// `harbor_project_repo_total{project_name,public}`.
    public let harborProjectRepoTotal: MetricsFamily<MetricsGauge>
    /// `harbor_project_member_total{project_name}`.
    public let harborProjectMemberTotal: MetricsFamily<MetricsGauge>
    /// `harbor_project_quota_usage_byte{project_name}`.
    public let harborProjectQuotaUsage: MetricsFamily<MetricsGauge>
    /// `harbor_project_quota_byte{project_name}` (-1 for unlimited).
    public let harborProjectQuota: MetricsFamily<MetricsGauge>
    /// `harbor_project_artifact_total{artifact_type,project_name,public}`.
    public let harborProjectArtifactTotal: MetricsFamily<MetricsGauge>
    /// `harbor_artifact_pulled{project_name}`.
    public let harborArtifactPulled: MetricsFamily<MetricsGauge>
    /// `harbor_health` (1 healthy, 0 not).
    public let harborHealth: MetricsGauge
    /// `harbor_up{component}`.
    public let harborUp: MetricsFamily<MetricsGauge>
    /// `harbor_task_queue_size{type}`.
    public let harborTaskQueueSize: MetricsFamily<MetricsGauge>
    /// `harbor_task_queue_latency{type}` (seconds).
    public let harborTaskQueueLatency: MetricsFamily<MetricsGauge>

    private let httpSeries = Mutex<[HTTPSeriesKey: HTTPSeries]>([:])

    /// Registers the standard metrics on `registry` (a new one by default).
    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        let r = registry
        httpRequests = r.counter("berth_http_requests_total", help: "HTTP requests answered.",
                                 labels: ["method", "route", "code"])
        httpDuration = r.histogram("berth_http_request_duration_seconds",
                                   help: "Time from the end of the request head to the end of the response.",
                                   labels: ["method", "route"])
        httpBytesSent = r.counter("berth_http_bytes_sent_total", help: "Response bytes written (head and body).",
                                  labels: ["method", "route"])
        httpBytesReceived = r.counter("berth_http_bytes_received_total", help: "Request bytes read (head and body).",
                                      labels: ["method", "route"])
        uploadSessions = r.gauge("berth_upload_sessions", help: "Open blob upload sessions.").child([])
        jobQueueDepth = r.gauge("berth_job_queue_depth", help: "Jobs waiting to run.", labels: ["type"])
        storageUsed = r.gauge("berth_storage_used_bytes", help: "Blob bytes referenced per project.",
                              labels: ["project_name"])
        harborProjectTotal = r.gauge("harbor_project_total", help: "Total number of projects.", labels: ["public"])
        harborProjectRepoTotal = r.gauge("harbor_project_repo_total", help: "Repositories per project.",
                                         labels: ["project_name", "public"])
        harborProjectMemberTotal = r.gauge("harbor_project_member_total", help: "Members per project.",
                                           labels: ["project_name"])
        harborProjectQuotaUsage = r.gauge("harbor_project_quota_usage_byte", help: "Storage used per project.",
                                          labels: ["project_name"])
        harborProjectQuota = r.gauge("harbor_project_quota_byte", help: "Storage quota per project (-1 unlimited).",
                                     labels: ["project_name"])
        harborProjectArtifactTotal = r.gauge("harbor_project_artifact_total", help: "Artifacts per project and type.",
                                             labels: ["artifact_type", "project_name", "public"])
        harborArtifactPulled = r.gauge("harbor_artifact_pulled", help: "Artifact pulls per project.",
                                       labels: ["project_name"])
        harborHealth = r.gauge("harbor_health", help: "Whether all components are healthy (1) or not (0).").child([])
        harborUp = r.gauge("harbor_up", help: "Whether a component is up (1) or down (0).", labels: ["component"])
        harborTaskQueueSize = r.gauge("harbor_task_queue_size", help: "Tasks waiting per type.", labels: ["type"])
        harborTaskQueueLatency = r.gauge("harbor_task_queue_latency", help: "Age of the oldest waiting task (seconds).",
                                         labels: ["type"])
    }

    /// Records one HTTP request. `route` is the router's pattern (never the raw path, to bound cardinality);
    /// unmatched requests use "unmatched". One lock and one hash per call: the four children of a
    /// (method, route, status) combination are looked up together.
    public func recordHTTP(method: String, route: String?, status: Int, durationSeconds: Double,
                           bytesSent: Int64, bytesReceived: Int64) {
        let key = HTTPSeriesKey(method: method, route: route, status: status)
        let series = httpSeries.withLock { $0[key] } ?? makeSeries(key)
        series.requests.increment()
        series.duration.observe(durationSeconds)
        series.sent.increment(by: bytesSent)
        series.received.increment(by: bytesReceived)
    }

    private func makeSeries(_ key: HTTPSeriesKey) -> HTTPSeries {
        let route = key.route ?? "unmatched"
        let made = HTTPSeries(requests: httpRequests.child([key.method, route, String(key.status)]),
                              duration: httpDuration.child([key.method, route]),
                              sent: httpBytesSent.child([key.method, route]),
                              received: httpBytesReceived.child([key.method, route]))
        return httpSeries.withLock { series in
            if let existing = series[key] { return existing }
            series[key] = made
            return made
        }
    }

    private struct HTTPSeriesKey: Hashable, Sendable {
        let method: String
        let route: String?
        let status: Int
    }

    /// The children one request updates.
    private final class HTTPSeries: Sendable {
        let requests: MetricsCounter
        let duration: MetricsHistogram
        let sent: MetricsCounter
        let received: MetricsCounter

        init(requests: MetricsCounter, duration: MetricsHistogram, sent: MetricsCounter, received: MetricsCounter) {
            self.requests = requests
            self.duration = duration
            self.sent = sent
            self.received = received
        }
    }
}
