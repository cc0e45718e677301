@testable import BerthAPI
import BerthCore
import HTTPServer
import Testing

@Suite struct OperationsRoutesTests {
    struct Broken: Error, CustomStringConvertible { var description: String { "disk on fire" } }

    static func handler(_ routes: OperationsRoutes, readOnly: ReadOnlyMode? = nil) -> HTTPHandler {
        var router = HTTPRouter()
        routes.register(on: &router)
        router.add(.put, "/v2/{name+}/manifests/{reference}") { _ in HTTPResponse(status: 201) }
        router.add(.get, "/v2/{name+}/manifests/{reference}") { _ in HTTPResponse(status: 200) }
        router.add(.post, "/api/v2.0/projects") { _ in HTTPResponse(status: 201) }
        router.add(.put, "/api/v2.0/configurations") { _ in HTTPResponse(status: 200) }
        router.add(.post, "/c/login") { _ in HTTPResponse(status: 200) }
        let middleware: [any HTTPMiddleware] = readOnly.map { [ReadOnlyMiddleware(mode: $0)] } ?? []
        return router.handler(middleware: middleware)
    }

    static func text(_ response: HTTPResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func pingAnswersPong() async throws {
        let handle = Self.handler(OperationsRoutes(metrics: nil))
        let response = try await handle(HTTPRequest(method: .get, target: "/api/v2.0/ping"))
        #expect(response.status == 200 && Self.text(response) == "Pong")
        #expect(try await handle(HTTPRequest(method: .get, target: "/metrics")).status == 404)
    }

    @Test func healthReportsEachComponent() async throws {
        let metrics = MetricsCatalog()
        let routes = OperationsRoutes(metrics: metrics, checks: [
            .init(name: "database") {},
            .init(name: "storage") { throw Broken() },
            .init(name: "jobservice") { try await Task.sleep(for: .seconds(5)) },
        ], checkTimeoutSeconds: 0.2)
        let response = try await Self.handler(routes)(HTTPRequest(method: .get, target: "/api/v2.0/health"))
        #expect(response.status == 200)
        let body = Self.text(response)
        #expect(body.hasPrefix("{\"status\":\"unhealthy\",\"components\":["))
        #expect(body.contains("{\"name\":\"database\",\"status\":\"healthy\"}"))
        #expect(body.contains("{\"name\":\"storage\",\"status\":\"unhealthy\",\"error\":\"disk on fire\"}"))
        #expect(body.contains("\"name\":\"jobservice\",\"status\":\"unhealthy\",\"error\":\"timed out"))
        #expect(metrics.harborHealth.value == 0)
        #expect(metrics.harborUp.child(["database"]).value == 1)
        #expect(metrics.harborUp.child(["storage"]).value == 0)

        let healthy = await OperationsRoutes(metrics: metrics, checks: [.init(name: "database") {}]).health()
        #expect(healthy.json == "{\"status\":\"healthy\",\"components\":[{\"name\":\"database\",\"status\":\"healthy\"}]}")
        #expect(metrics.harborHealth.value == 1)
    }

    @Test func metricsEndpointRendersRegistry() async throws {
        let metrics = MetricsCatalog()
        metrics.uploadSessions.set(Int64(3))
        metrics.harborProjectQuotaUsage.child(["library"]).set(Int64(1234))
        let response = try await Self.handler(OperationsRoutes(metrics: metrics))(HTTPRequest(method: .get, target: "/metrics"))
        #expect(response.headers["Content-Type"] == MetricsRegistry.contentType)
        let body = Self.text(response)
        #expect(body.contains("# TYPE berth_http_requests_total counter\n"))
        #expect(body.contains("berth_upload_sessions 3\n"))
        #expect(body.contains("harbor_project_quota_usage_byte{project_name=\"library\"} 1234\n"))
        #expect(body.contains("# TYPE harbor_project_total gauge\n"))
    }

    @Test func readOnlyRefusesWritesLikeHarbor() async throws {
        let mode = ReadOnlyMode(enabled: true)
        let handle = Self.handler(OperationsRoutes(metrics: nil), readOnly: mode)
        let push = try await handle(HTTPRequest(method: .put, target: "/v2/library/app/manifests/v1"))
        #expect(push.status == 403)
        #expect(push.headers["Docker-Distribution-API-Version"] == "registry/2.0")
        #expect(Self.text(push) == "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"The system is in read only mode. Any modification is prohibited.\"}]}")
        let api = try await handle(HTTPRequest(method: .post, target: "/api/v2.0/projects"))
        #expect(api.status == 403 && Self.text(api).contains("\"code\":\"DENIED\""))
        #expect(api.headers["Docker-Distribution-API-Version"] == nil)

        #expect(try await handle(HTTPRequest(method: .get, target: "/v2/library/app/manifests/v1")).status == 200)
        #expect(try await handle(HTTPRequest(method: .put, target: "/api/v2.0/configurations")).status == 200)
        #expect(try await handle(HTTPRequest(method: .post, target: "/c/login")).status == 200)

        mode.isEnabled = false
        #expect(try await handle(HTTPRequest(method: .put, target: "/v2/library/app/manifests/v1")).status == 201)
    }
}
