import Testing
@testable import HTTPServer

@Suite struct ParserTests {
    func parse(_ text: String, maxHead: Int = 65536, maxHeaders: Int = 100, maxURI: Int = 8192) -> HeadParseResult {
        var parser = RequestHeadParser(maxHeadBytes: maxHead, maxHeaderCount: maxHeaders, maxURILength: maxURI)
        return Array(text.utf8).withUnsafeBufferPointer { parser.parse($0) }
    }

    func status(_ result: HeadParseResult) -> Int? {
        if case .failure(let status) = result { return status }
        return nil
    }

    @Test func parsesRequestLineAndHeaders() throws {
        let text = "GET /v2/a/b?n=1 HTTP/1.1\r\nHost: x\r\nX-Thing:  spaced value \r\n\r\nNEXT"
        guard case .complete(let head, let consumed) = parse(text) else { Issue.record("not complete"); return }
        #expect(head.method == "GET")
        #expect(head.target == "/v2/a/b?n=1")
        #expect(!head.isHTTP10 && head.keepAlive)
        #expect(head.headers.count == 2)
        #expect(head.headers[1].name == "X-Thing" && head.headers[1].value == "spaced value")
        #expect(consumed == text.utf8.count - 4)
    }

    @Test func incrementalFeedingFindsTheEnd() {
        let bytes = Array("POST /u HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n".utf8)
        var parser = RequestHeadParser(maxHeadBytes: 65536, maxHeaderCount: 100, maxURILength: 8192)
        for end in 1...bytes.count {
            let result = Array(bytes[..<end]).withUnsafeBufferPointer { parser.parse($0) }
            if end < bytes.count {
                guard case .needMore = result else { Issue.record("early result at \(end)"); return }
            } else {
                guard case .complete(let head, let consumed) = result else { Issue.record("incomplete"); return }
                #expect(consumed == bytes.count)
                #expect(head.contentLength == 5 && head.expectContinue && head.hasBody)
            }
        }
    }

    @Test func http10ClosesUnlessKeepAlive() {
        guard case .complete(let a, _) = parse("GET / HTTP/1.0\r\n\r\n"),
              case .complete(let b, _) = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
              case .complete(let c, _) = parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") else {
            Issue.record("parse failed"); return
        }
        #expect(!a.keepAlive && a.isHTTP10)
        #expect(b.keepAlive)
        #expect(!c.keepAlive)
    }

    @Test(arguments: [
        ("GET\r\n\r\n", 400),
        ("GET /  HTTP/1.1 extra\r\n\r\n", 400),
        ("GET / HTTX/1.1\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("G(T / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    ])
    func rejectsMalformedHeads(text: String, expected: Int) {
        #expect(status(parse(text)) == expected)
    }

    @Test func enforcesLimits() {
        let longURI = "GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\n\r\n"
        #expect(status(parse(longURI, maxURI: 100)) == 414)
        let unterminatedURI = "GET /" + String(repeating: "a", count: 300)
        #expect(status(parse(unterminatedURI, maxURI: 100)) == 414)
        let manyHeaders = "GET / HTTP/1.1\r\n" + (0..<11).map { "H\($0): v\r\n" }.joined() + "\r\n"
        #expect(status(parse(manyHeaders, maxHeaders: 10)) == 431)
        let bigHead = "GET / HTTP/1.1\r\nBig: " + String(repeating: "x", count: 2000)
        #expect(status(parse(bigHead, maxHead: 1024)) == 431)
        let underLimit = "GET / HTTP/1.1\r\n" + (0..<10).map { "H\($0): v\r\n" }.joined() + "\r\n"
        guard case .complete = parse(underLimit, maxHeaders: 10) else { Issue.record("limit off by one"); return }
    }
}

@Suite struct ChunkedDecoderTests {
    func decode(_ text: String, splitAt split: Int? = nil) throws -> ([UInt8], Bool, Int) {
        let bytes = Array(text.utf8)
        var decoder = ChunkedDecoder()
        var output: [UInt8] = []
        var consumed = 0
        let cut = split ?? bytes.count
        for range in [0..<cut, cut..<bytes.count] where !range.isEmpty {
            consumed += try Array(bytes[range]).withUnsafeBufferPointer { try decoder.decode($0, into: &output) }
        }
        return (output, decoder.isDone, consumed)
    }

    @Test func decodesChunksExtensionsAndTrailers() throws {
        let body = "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT"
        for split in 0...body.utf8.count {
            let (output, done, consumed) = try decode(body, splitAt: split)
            #expect(String(decoding: output, as: UTF8.self) == "hello0123456789")
            #expect(done)
            #expect(consumed == body.utf8.count - 4)
        }
    }

    @Test(arguments: ["x\r\n", "\r\n", "5\r\nhelloXX", "fffffffffffff\r\n", "5\r\nhello\r\n-1\r\n"])
    func rejectsInvalidEncoding(text: String) {
        #expect(throws: HTTPServerError.malformedBody) { _ = try decode(text) }
    }
}

@Suite struct ByteRangeTests {
    @Test func resolvesSingleRanges() {
        #expect(ByteRange.resolve("bytes=0-9", total: 100) == .partial(start: 0, length: 10))
        #expect(ByteRange.resolve("bytes=90-", total: 100) == .partial(start: 90, length: 10))
        #expect(ByteRange.resolve("bytes=95-200", total: 100) == .partial(start: 95, length: 5))
        #expect(ByteRange.resolve("bytes=-5", total: 100) == .partial(start: 95, length: 5))
        #expect(ByteRange.resolve("bytes=-500", total: 100) == .partial(start: 0, length: 100))
        #expect(ByteRange.resolve("bytes=100-", total: 100) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=-0", total: 100) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=0-1,5-6", total: 100) == .full)
        #expect(ByteRange.resolve("bytes=9-3", total: 100) == .full)
        #expect(ByteRange.resolve("items=0-1", total: 100) == .full)
    }
}
