import Synchronization
import Testing
@testable import HTTPServer

@Suite struct DisconnectTests {
    @Test func clientVanishingMidBodyFailsTheBody() async throws {
        let failure = Mutex<HTTPServerError?>(nil)
        let handler: HTTPHandler = { request in
            do {
                _ = try await request.body.collect(upTo: 1 << 20)
            } catch let error as HTTPServerError {
                failure.withLock { $0 = error }
            }
            return HTTPResponse(status: 400)
        }
        try await withServer(handler: handler) { port in
            do {
                let client = try RawClient(port: port)
                try await client.write("PUT /x HTTP/1.1\r\nContent-Length: 100000\r\n\r\nsome")
                try await Task.sleep(for: .milliseconds(50))
            }
            for _ in 0..<200 where failure.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(failure.withLock { $0 } == .connectionClosed)
    }

    @Test func streamIsTerminatedWhenTheClientGoesAway() async throws {
        let terminated = Atomic<Bool>(false)
        let handler: HTTPHandler = { _ in
            let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
                let producer = Task {
                    while !Task.isCancelled {
                        if case .terminated = continuation.yield(pattern(32768)) { break }
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                }
                continuation.onTermination = { _ in
                    terminated.store(true, ordering: .relaxed)
                    producer.cancel()
                }
            }
            return HTTPResponse(status: 200, body: .stream(stream, length: nil))
        }
        try await withServer(handler: handler) { port in
            do {
                let client = try RawClient(port: port)
                try await client.write("GET /endless HTTP/1.1\r\n\r\n")
                try await client.fill()
                #expect(client.buffer.starts(with: Array("HTTP/1.1 200 OK\r\n".utf8)))
            }
            for _ in 0..<300 where !terminated.load(ordering: .relaxed) {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let wasTerminated = terminated.load(ordering: .relaxed)
        #expect(wasTerminated)
    }

    @Test func pipelinedRequestsWithBodies() async throws {
        let handler: HTTPHandler = { request in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return HTTPResponse(status: 200, body: .bytes(Array(request.path.utf8) + bytes))
        }
        try await withServer(handler: handler) { port in
            let client = try RawClient(port: port)
            try await client.write("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcPOST /b HTTP/1.1\r\n"
                                   + "Transfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\nGET /c HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().text == "/aabc")
            #expect(try await client.readResponse().text == "/bxy")
            #expect(try await client.readResponse().text == "/c")
        }
    }

    @Test func http10StreamWithoutLengthIsCloseDelimited() async throws {
        let handler: HTTPHandler = { _ in
            HTTPResponse(status: 200, body: .stream(ByteStreamFactory.make([pattern(3), pattern(4, seed: 9)]), length: nil))
        }
        try await withServer(handler: handler) { port in
            let client = try RawClient(port: port)
            try await client.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.header("Connection") == "close")
            #expect(response.body == pattern(3) + pattern(4, seed: 9))
        }
    }
}

@Suite struct BodyChannelTests {
    @Test func completeBodySurvivesLaterFailure() async throws {
        let channel = BodyChannel(highWater: 4, expectContinue: false) { _ in }
        #expect(channel.push([1, 2]))
        #expect(!channel.push([3, 4, 5]))          // 5 bytes buffered >= high water: pause
        channel.finish()
        channel.fail(.connectionClosed)
        let body = HTTPRequestBody(storage: .channel(channel), contentLength: 5, isChunked: false)
        #expect(try await body.collect(upTo: 10) == [1, 2, 3, 4, 5])
        #expect(body.peakBufferedBytes == 5)
    }

    @Test func resumeIsSignalledBelowHalfHighWater() async throws {
        let signals = Mutex<[BodyChannel.Signal]>([])
        let channel = BodyChannel(highWater: 4, expectContinue: true) { signal in signals.withLock { $0.append(signal) } }
        #expect(!channel.push([1, 2, 3, 4]))
        #expect(try await channel.next() == [1, 2, 3, 4])
        #expect(signals.withLock { $0 } == [.resumeReading])
        async let next = channel.next()
        try await Task.sleep(for: .milliseconds(20))
        #expect(signals.withLock { $0 } == [.resumeReading, .sendContinue])
        _ = channel.push([9])
        #expect(try await next == [9])
        channel.fail(.bodyTimeout)
        await #expect(throws: HTTPServerError.bodyTimeout) { _ = try await channel.next() }
    }
}
