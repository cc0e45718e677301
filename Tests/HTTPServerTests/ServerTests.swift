import Synchronization
import Testing
@testable import HTTPServer

@Suite struct ServerTests {
    static let echoPath: HTTPHandler = { request in
        if request.path == "/slow" { try await Task.sleep(for: .milliseconds(80)) }
        if request.path == "/throw" { throw HTTPServerError.malformedBody }
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: .bytes(Array(request.target.utf8)))
    }

    @Test func keepAliveAndPipelinedResponsesInOrder() async throws {
        try await withServer(handler: Self.echoPath) { port in
            let client = try RawClient(port: port)
            try await client.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try await client.readResponse()
            let second = try await client.readResponse()
            #expect(first.status == 200 && first.text == "/slow")
            #expect(second.status == 200 && second.text == "/fast?x=1")
            #expect(first.header("Content-Length") == "5")
            try await client.write("GET /third HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().text == "/third")
        }
    }

    @Test func http10ClosesUnlessKeepAlive() async throws {
        try await withServer(handler: Self.echoPath) { port in
            let plain = try RawClient(port: port)
            try await plain.write("GET /a HTTP/1.0\r\n\r\n")
            let response = try await plain.readResponse()
            #expect(response.text == "/a")
            #expect(await plain.closedWithin(2))
            let kept = try RawClient(port: port)
            try await kept.write("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await kept.readResponse().header("Connection") == "keep-alive")
            try await kept.write("GET /c HTTP/1.0\r\n\r\n")
            #expect(try await kept.readResponse().text == "/c")
        }
    }

    @Test(arguments: [
        ("GET /" + String(repeating: "u", count: 300) + " HTTP/1.1\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\n" + (0..<20).map { "H\($0): v\r\n" }.joined() + "\r\n", 431),
        ("GET / HTTP/1.1\r\nBig: " + String(repeating: "b", count: 3000) + "\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nBad header\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    ])
    func rejectsBadHeadsAndCloses(text: String, expected: Int) async throws {
        try await withServer({ $0.maxURILength = 256; $0.maxHeaderCount = 10; $0.maxHeadBytes = 2048 },
                             handler: Self.echoPath) { port in
            let client = try RawClient(port: port)
            try await client.write(text)
            let response = try await client.readResponse()
            #expect(response.status == expected)
            #expect(response.header("Connection") == "close")
            #expect(await client.closedWithin(2))
        }
    }

    @Test func handlerErrorBecomes500AndAccessLogRecords() async throws {
        let entries = Mutex<[AccessLogEntry]>([])
        try await withServer({ $0.accessLog = { entry in entries.withLock { $0.append(entry) } } },
                             handler: Self.echoPath) { port in
            let client = try RawClient(port: port)
            try await client.write("GET /throw HTTP/1.1\r\n\r\nGET /ok HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().status == 500)
            #expect(try await client.readResponse().status == 200)
            let bad = try RawClient(port: port)
            try await bad.write("BAD\r\n\r\n")
            #expect(try await bad.readResponse().status == 400)
            #expect(await bad.closedWithin(2))
        }
        let logged = entries.withLock { $0 }
        #expect(logged.count == 3)
        #expect(logged.last?.status == 400 && logged.last?.method == "-")
        #expect(logged.prefix(2).map(\.status) == [500, 200])
        #expect(logged.prefix(2).map(\.target) == ["/throw", "/ok"])
        #expect(logged[1].method == "GET" && logged[1].bytesSent > 3 && logged[1].remoteAddress.hasPrefix("127.0.0.1:"))
    }

    @Test func headKeepsContentLengthAndSendsNoBody() async throws {
        let handler: HTTPHandler = { request in
            if request.path == "/explicit" {
                return HTTPResponse(status: 200, headers: ["Content-Length": "12345"], body: .empty)
            }
            return HTTPResponse(status: 200, body: .bytes(pattern(100)))
        }
        try await withServer(handler: handler) { port in
            let client = try RawClient(port: port)
            try await client.write("HEAD /computed HTTP/1.1\r\n\r\n")
            let computed = try await client.readResponse(headRequest: true)
            #expect(computed.header("Content-Length") == "100")
            try await client.write("HEAD /explicit HTTP/1.1\r\n\r\n")
            let explicit = try await client.readResponse(headRequest: true)
            #expect(explicit.header("Content-Length") == "12345")
            // If any body byte had been sent, this response would not parse.
            try await client.write("GET /computed HTTP/1.1\r\n\r\n")
            let get = try await client.readResponse()
            #expect(get.body == pattern(100))
        }
    }

    @Test func streamedResponsesUseChunkedOrLength() async throws {
        let handler: HTTPHandler = { request in
            let parts = [pattern(10), pattern(70000, seed: 2), pattern(5, seed: 3)]
            let stream = ByteStreamFactory.make(parts)
            return HTTPResponse(status: 200, body: .stream(stream, length: request.path == "/len" ? 70015 : nil))
        }
        try await withServer(handler: handler) { port in
            let client = try RawClient(port: port)
            let expected = pattern(10) + pattern(70000, seed: 2) + pattern(5, seed: 3)
            try await client.write("GET /chunked HTTP/1.1\r\n\r\n")
            let chunked = try await client.readResponse()
            #expect(chunked.header("Transfer-Encoding") == "chunked")
            #expect(chunked.body == expected)
            try await client.write("GET /len HTTP/1.1\r\n\r\n")
            let sized = try await client.readResponse()
            #expect(sized.header("Content-Length") == "70015")
            #expect(sized.body == expected)
        }
    }

    @Test func secondServerOnTheSamePortIsRefused() async throws {
        try await withServer(handler: Self.echoPath) { port in
            var configuration = HTTPServerConfiguration()
            configuration.host = "127.0.0.1"
            configuration.port = port
            let second = HTTPServer(configuration: configuration, handler: Self.echoPath)
            #expect(throws: HTTPServerError.self) { try second.start() }
            let client = try RawClient(port: port)
            try await client.write("GET /still-first HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().text == "/still-first")
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        try await withServer({ $0.idleTimeoutSeconds = 1 }, handler: Self.echoPath) { port in
            let client = try RawClient(port: port)
            try await client.write("GET /a HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(await client.closedWithin(3))
        }
    }

    @Test func slowHeadIsClosed() async throws {
        try await withServer({ $0.headReadTimeoutSeconds = 1 }, handler: Self.echoPath) { port in
            let client = try RawClient(port: port)
            try await client.write("GET /a HTTP/1.1\r\nHost:")
            #expect(await client.closedWithin(3))
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequest() async throws {
        let started = Atomic<Bool>(false)
        let handler: HTTPHandler = { _ in
            started.store(true, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(300))
            return HTTPResponse(status: 200, body: .bytes(Array("done".utf8)))
        }
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: handler)
        try server.start()
        let port = server.boundPort
        let client = try RawClient(port: port)
        let idle = try RawClient(port: port)
        try await client.write("GET / HTTP/1.1\r\n\r\n")
        while !started.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(2)) }
        async let stopped: Void = server.shutdown(gracePeriodSeconds: 5)
        let response = try await client.readResponse()
        #expect(response.status == 200 && response.text == "done")
        #expect(response.header("Connection") == "close")
        #expect(await idle.closedWithin(2))
        await stopped
        #expect(throws: ClientError.self) { _ = try RawClient(port: port) }
    }
}

/// Builds finite byte streams for tests.
enum ByteStreamFactory {
    static func make(_ parts: [[UInt8]]) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            for part in parts { continuation.yield(part) }
            continuation.finish()
        }
    }
}
