import BerthCore
import Synchronization
import Testing
@testable import HTTPServer

@Suite struct MetricsRecordingTests {
    @Test func serverRecordsRoutePatternAndBytes() async throws {
        let metrics = MetricsCatalog()
        let entries = Mutex<[AccessLogEntry]>([])
        var router = HTTPRouter()
        router.add(.post, "/items/{id}") { request in
            let body = try await request.body.collect(upTo: 1 << 20)
            return HTTPResponse(status: 201, body: .bytes(Array("got \(body.count) for \(request.routePattern ?? "")".utf8)))
        }
        try await withServer({ configuration in
            configuration.metrics = metrics
            configuration.accessLog = { entry in entries.withLock { $0.append(entry) } }
        }, handler: router.handler()) { port in
            let client = try RawClient(port: port)
            let head = "POST /items/42 HTTP/1.1\r\nContent-Length: 5\r\n\r\n"
            try await client.write(head + "hello")
            let response = try await client.readResponse()
            #expect(response.status == 201)
            #expect(String(decoding: response.body, as: UTF8.self) == "got 5 for /items/{id}")
            try await client.write("GET /nowhere HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().status == 404)
            try await Task.sleep(for: .milliseconds(50))
            let logged = entries.withLock { $0 }
            #expect(logged.count == 2)
            #expect(logged.first?.route == "/items/{id}")
            #expect(logged.first?.bytesReceived == Int64(head.utf8.count + 5))
            #expect(logged.last?.route == nil)
            let text = metrics.registry.render()
            #expect(text.contains("berth_http_requests_total{method=\"POST\",route=\"/items/{id}\",code=\"201\"} 1\n"))
            #expect(text.contains("berth_http_requests_total{method=\"GET\",route=\"unmatched\",code=\"404\"} 1\n"))
            #expect(text.contains("berth_http_bytes_received_total{method=\"POST\",route=\"/items/{id}\"} \(head.utf8.count + 5)\n"))
            #expect(text.contains("berth_http_request_duration_seconds_count{method=\"POST\",route=\"/items/{id}\"} 1\n"))
        }
    }
}
