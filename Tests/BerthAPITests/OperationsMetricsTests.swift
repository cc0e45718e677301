import BerthCore
import Synchronization
import Testing

@Suite struct OperationsMetricsTests {
    @Test func rendersCountersGaugesAndHistograms() {
        let registry = MetricsRegistry()
        let requests = registry.counter("demo_requests_total", help: "Requests.", labels: ["code"])
        requests.child(["200"]).increment()
        requests.child(["200"]).increment(by: Int64(2))
        requests.child(["404"]).increment()
        let gauge = registry.gauge("demo_depth", help: "Depth.\nSecond line.")
        gauge.child([]).set(2.5)
        let latency = registry.histogram("demo_seconds", help: "Latency.", buckets: [0.1, 1])
        for value in [0.05, 0.1, 0.5, 3] { latency.child([]).observe(value) }
        let label = registry.gauge("demo_label", help: "Escaping.", labels: ["v"])
        label.child(["a\"b\\c\nd"]).set(Int64(1))

        let text = registry.render()
        #expect(text.contains("# HELP demo_requests_total Requests.\n# TYPE demo_requests_total counter\n"))
        #expect(text.contains("demo_requests_total{code=\"200\"} 3\ndemo_requests_total{code=\"404\"} 1\n"))
        #expect(text.contains("# HELP demo_depth Depth.\\nSecond line.\n"))
        #expect(text.contains("demo_depth 2.5\n"))
        #expect(text.contains("demo_seconds_bucket{le=\"0.1\"} 2\ndemo_seconds_bucket{le=\"1\"} 3\n"))
        #expect(text.contains("demo_seconds_bucket{le=\"+Inf\"} 4\ndemo_seconds_sum 3.65\ndemo_seconds_count 4\n"))
        #expect(text.contains("demo_label{v=\"a\\\"b\\\\c\\nd\"} 1\n"))
        #expect(registry.counter("demo_requests_total", help: "again", labels: ["code"]) === requests)
    }

    @Test func concurrentUpdatesAreNotLost() async {
        let registry = MetricsRegistry()
        let counter = registry.counter("c_total", help: "c").child([])
        let histogram = registry.histogram("h_seconds", help: "h").child([])
        let gauge = registry.gauge("g", help: "g").child([])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 {
                        counter.increment()
                        histogram.observe(0.01)
                        gauge.add(1)
                    }
                }
            }
        }
        #expect(counter.value == 80_000)
        #expect(histogram.snapshot.count == 80_000)
        #expect(gauge.value == 80_000)
    }

    @Test func catalogRecordsHTTPByRoute() {
        let catalog = MetricsCatalog()
        catalog.recordHTTP(method: "GET", route: "/v2/{name+}/blobs/{digest}", status: 200, durationSeconds: 0.02,
                           bytesSent: 1000, bytesReceived: 100)
        catalog.recordHTTP(method: "GET", route: nil, status: 404, durationSeconds: 0.001, bytesSent: 10, bytesReceived: 50)
        let text = catalog.registry.render()
        #expect(text.contains("berth_http_requests_total{method=\"GET\",route=\"/v2/{name+}/blobs/{digest}\",code=\"200\"} 1\n"))
        #expect(text.contains("berth_http_requests_total{method=\"GET\",route=\"unmatched\",code=\"404\"} 1\n"))
        #expect(text.contains("berth_http_bytes_sent_total{method=\"GET\",route=\"/v2/{name+}/blobs/{digest}\"} 1000\n"))
        #expect(text.contains("berth_http_bytes_received_total{method=\"GET\",route=\"unmatched\"} 50\n"))
        #expect(text.contains("berth_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v2/{name+}/blobs/{digest}\",le=\"0.025\"} 1\n"))
        #expect(text.contains("berth_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v2/{name+}/blobs/{digest}\",le=\"0.01\"} 0\n"))
    }
}
