import Testing
@testable import HTTPServer

@Suite struct RouterTests {
    func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        func echo(_ tag: String) -> HTTPHandler {
            { request in
                let params = request.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return HTTPResponse(status: 200, body: .bytes(Array((tag + " " + params.joined(separator: ",")).utf8)))
            }
        }
        router.add(.get, "/v2/", echo("base"))
        router.add(.get, "/v2/{name+}/manifests/{reference}", echo("manifest"))
        router.add(.put, "/v2/{name+}/manifests/{reference}", echo("put-manifest"))
        router.add(.get, "/v2/{name+}/blobs/{digest}", echo("blob"))
        router.add(.patch, "/v2/{name+}/blobs/uploads/{id}", echo("upload"))
        router.add(.get, "/v2/{name+}/tags/list", echo("tags"))
        router.add(.get, "/api/v2.0/projects/{project}", echo("project"))
        return router
    }

    func call(_ method: HTTPMethod, _ target: String, router: HTTPRouter? = nil) async throws -> (Int, String) {
        let response = try await (router ?? makeRouter()).handler()(HTTPRequest(method: method, target: target))
        guard case .bytes(let bytes) = response.body else { return (response.status, "") }
        return (response.status, String(decoding: bytes, as: UTF8.self))
    }

    @Test func matchesMultiLevelNamesFromTheRight() async throws {
        #expect(try await call(.get, "/v2/") == (200, "base "))
        #expect(try await call(.get, "/v2/lib/app/x/manifests/v1") == (200, "manifest name=lib/app/x,reference=v1"))
        #expect(try await call(.get, "/v2/a/manifests/manifests/manifests/v1")
                == (200, "manifest name=a/manifests/manifests,reference=v1"))
        #expect(try await call(.get, "/v2/a/b/tags/list?n=10") == (200, "tags name=a/b"))
        #expect(try await call(.patch, "/v2/a/blobs/uploads/123") == (200, "upload id=123,name=a"))
        #expect(try await call(.get, "/api/v2.0/projects/p1") == (200, "project project=p1"))
    }

    @Test func prefersMoreLiteralSegments() async throws {
        // "/v2/a/blobs/uploads" also matches the blob pattern (digest "uploads"); the literal one must win.
        var router = makeRouter()
        router.add(.get, "/v2/{name+}/blobs/uploads", { _ in HTTPResponse(status: 204) })
        #expect(try await call(.get, "/v2/a/blobs/uploads", router: router).0 == 204)
        #expect(try await call(.get, "/v2/a/blobs/uploads").0 == 200)
        #expect(try await call(.get, "/v2/a/blobs/sha256:abc", router: router) == (200, "blob digest=sha256:abc,name=a"))
    }

    @Test func distinguishesNotFoundFromMethodNotAllowed() async throws {
        #expect(try await call(.get, "/v2/manifests/v1").0 == 404)       // {name+} needs a segment
        #expect(try await call(.get, "/nothing").0 == 404)
        #expect(try await call(.delete, "/v2/a/manifests/v1").0 == 405)
        #expect(try await call(.get, "/v2/a//manifests/v1").0 == 404)    // empty segment in name
        var router = makeRouter()
        router.notFound = { _ in HTTPResponse(status: 499) }
        router.methodNotAllowed = { _ in HTTPResponse(status: 498) }
        #expect(try await call(.get, "/x", router: router).0 == 499)
        #expect(try await call(.post, "/v2/", router: router).0 == 498)
    }

    @Test func headFallsBackToGet() async throws {
        #expect(try await call(.head, "/v2/a/tags/list") == (200, "tags name=a"))
    }

    @Test func decodesParameters() async throws {
        #expect(try await call(.get, "/v2/a%2Fb/manifests/v%3A1") == (200, "manifest name=a/b,reference=v:1"))
        let request = HTTPRequest(method: .get, target: "/x?a=1%202&b=c+d&a=3&flag")
        #expect(request.path == "/x")
        #expect(request.queryValue("a") == "1 2")
        #expect(request.queryValue("b") == "c+d")
        #expect(request.query.count == 4)
        #expect(request.queryValue("flag") == "")
    }

    struct Tagger: HTTPMiddleware {
        let tag: String
        func respond(to request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
            var request = request
            request.attributes["trail"] = (request.attributes["trail"] as? String ?? "") + tag
            var response = try await next(request)
            response.headers.add("X-Trail", (request.attributes["trail"] as? String ?? "") + ":" + (request.parameters["project"] ?? "-"))
            return response
        }
    }

    @Test func runsMiddlewareOutermostFirstWithParameters() async throws {
        let handler = makeRouter().handler(middleware: [Tagger(tag: "a"), Tagger(tag: "b")])
        let response = try await handler(HTTPRequest(method: .get, target: "/api/v2.0/projects/p"))
        #expect(response.headers.values("X-Trail") == ["ab:p", "a:p"])
    }

    @Test func headersAreCaseInsensitiveAndOrdered() {
        var headers = HTTPHeaders([("A", "1"), ("b", "2"), ("a", "3")])
        #expect(headers["a"] == "1")
        #expect(headers.values("A") == ["1", "3"])
        headers["A"] = "9"
        #expect(headers.values("a") == ["9"])
        #expect(headers.map(\.name) == ["A", "b"])
        headers["B"] = nil
        #expect(headers.count == 1)
    }
}
