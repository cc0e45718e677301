import Synchronization
import Testing
@testable import HTTPServer

@Suite struct BodyTests {
    /// Answers "<size> <checksum>" of the body it reads.
    static let summarize: HTTPHandler = { request in
        var size = 0
        var hash: UInt64 = 0xcbf29ce484222325
        for try await chunk in request.body {
            size += chunk.count
            hash = checksum(chunk, seed: hash)
        }
        return HTTPResponse(status: 201, body: .bytes(Array("\(size) \(hash)".utf8)))
    }

    @Test func chunkedUploadIsDecoded() async throws {
        try await withServer(handler: Self.summarize) { port in
            let data = pattern(300_000)
            var wire = Array("POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            var offset = 0
            for size in [1, 4095, 65536, 100_000, 130_368] {
                wire += Array((String(size, radix: 16) + ";x=y\r\n").utf8) + data[offset..<(offset + size)] + [13, 10]
                offset += size
            }
            wire += Array("0\r\nX-Trailer: t\r\n\r\n".utf8)
            let client = try RawClient(port: port)
            try await client.write(wire)
            let response = try await client.readResponse()
            #expect(response.status == 201)
            #expect(response.text == "\(data.count) \(checksum(data))")
            try await client.write("POST /up HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try await client.readResponse().text == "3 \(checksum(Array("abc".utf8)))")
        }
    }

    @Test func invalidChunkSizeFailsTheBody() async throws {
        let handler: HTTPHandler = { request in
            do {
                _ = try await request.body.collect(upTo: 1 << 20)
                return HTTPResponse(status: 200)
            } catch {
                return HTTPResponse(status: 400)
            }
        }
        try await withServer(handler: handler) { port in
            let client = try RawClient(port: port)
            try await client.write("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            #expect(try await client.readResponse().status == 400)
            #expect(await client.closedWithin(2))
        }
    }

    @Test func collectEnforcesLimit() async throws {
        await #expect(throws: HTTPServerError.bodyTooLarge) { try await HTTPRequestBody.bytes(pattern(10)).collect(upTo: 9) }
        #expect(try await HTTPRequestBody.bytes(pattern(10)).collect(upTo: 10) == pattern(10))
    }

    @Test func expectContinueIsSentWhenTheHandlerReads() async throws {
        try await withServer(handler: Self.summarize) { port in
            let client = try RawClient(port: port)
            try await client.write("PUT /x HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try await client.write("data")
            let final = try await client.readResponse()
            #expect(final.status == 201 && final.text == "4 \(checksum(Array("data".utf8)))")
        }
    }

    @Test func expectContinueWithoutReadingClosesAfterResponse() async throws {
        try await withServer(handler: { _ in HTTPResponse(status: 401) }) { port in
            let client = try RawClient(port: port)
            try await client.write("PUT /x HTTP/1.1\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == "close")
            #expect(await client.closedWithin(2))
        }
    }

    @Test func unreadSmallBodyIsDrainedAndConnectionKept() async throws {
        try await withServer(handler: { request in HTTPResponse(status: 202, body: .bytes(Array(request.path.utf8))) }) { port in
            let client = try RawClient(port: port)
            try await client.write("POST /a HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "z", count: 5000)
                                   + "GET /b HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().text == "/a")
            #expect(try await client.readResponse().text == "/b")
        }
    }

    @Test func slowReaderBoundsServerBuffering() async throws {
        let highWater = 64 * 1024
        let peak = Atomic<Int>(0)
        let handler: HTTPHandler = { request in
            var size = 0
            var hash: UInt64 = 0xcbf29ce484222325
            for try await chunk in request.body {
                size += chunk.count
                hash = checksum(chunk, seed: hash)
                try await Task.sleep(for: .microseconds(300))
            }
            peak.store(request.body.peakBufferedBytes, ordering: .relaxed)
            return HTTPResponse(status: 201, body: .bytes(Array("\(size) \(hash)".utf8)))
        }
        try await withServer({ $0.bodyHighWaterBytes = highWater }, handler: handler) { port in
            let data = pattern(6 << 20)
            let client = try RawClient(port: port)
            try await client.write("PUT /big HTTP/1.1\r\nContent-Length: \(data.count)\r\n\r\n")
            try await client.write(data)
            let response = try await client.readResponse()
            #expect(response.text == "\(data.count) \(checksum(data))")
        }
        let observed = peak.load(ordering: .relaxed)
        #expect(observed > 0)
        #expect(observed <= highWater + EventLoop.readBufferSize)
    }

    @Test func stalledBodyFailsWithTimeout() async throws {
        let failure = Mutex<HTTPServerError?>(nil)
        let handler: HTTPHandler = { request in
            do {
                _ = try await request.body.collect(upTo: 1 << 20)
            } catch let error as HTTPServerError {
                failure.withLock { $0 = error }
            }
            return HTTPResponse(status: 408)
        }
        try await withServer({ $0.bodyStallTimeoutSeconds = 1 }, handler: handler) { port in
            let client = try RawClient(port: port)
            try await client.write("PUT /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try await client.readResponse().status == 408)
            #expect(await client.closedWithin(2))
        }
        #expect(failure.withLock { $0 } == .bodyTimeout)
    }
}
