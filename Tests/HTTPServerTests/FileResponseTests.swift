import BerthCore
import Glibc
import Testing
@testable import HTTPServer

@Suite struct FileResponseTests {
    static let content = pattern(200_000, seed: 7)

    /// Writes the content to a temp file once per server and serves a fresh fd per request.
    static func makeHandler(path: String) -> HTTPHandler {
        { request in
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { return HTTPResponse(status: 500) }
            if request.path == "/offset" {
                return HTTPResponse(status: 200, body: .file(FileRegion(fd: fd, offset: 100, length: 1000)))
            }
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"],
                                body: .file(FileRegion(fd: fd, offset: 0, length: Int64(content.count))))
        }
    }

    func withFile(_ body: (String) async throws -> Void) async throws {
        let path = "/tmp/berth-http-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = Self.content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        try await body(path)
    }

    @Test func servesFilesAndRanges() async throws {
        try await withFile { path in
            try await withServer(handler: Self.makeHandler(path: path)) { port in
                let client = try RawClient(port: port)
                let total = Self.content.count
                try await client.write("GET /f HTTP/1.1\r\n\r\n")
                let full = try await client.readResponse()
                #expect(full.status == 200 && full.body == Self.content)
                #expect(full.header("Accept-Ranges") == "bytes")

                try await client.write("GET /f HTTP/1.1\r\nRange: bytes=10-19\r\n\r\n")
                let part = try await client.readResponse()
                #expect(part.status == 206 && part.body == Array(Self.content[10..<20]))
                #expect(part.header("Content-Range") == "bytes 10-19/\(total)")

                try await client.write("GET /f HTTP/1.1\r\nRange: bytes=-5\r\n\r\n")
                let suffix = try await client.readResponse()
                #expect(suffix.status == 206 && suffix.body == Array(Self.content.suffix(5)))

                try await client.write("GET /f HTTP/1.1\r\nRange: bytes=199990-\r\n\r\n")
                let open = try await client.readResponse()
                #expect(open.body == Array(Self.content[199_990...]))

                try await client.write("GET /f HTTP/1.1\r\nRange: bytes=\(total)-\r\n\r\n")
                let unsatisfiable = try await client.readResponse()
                #expect(unsatisfiable.status == 416)
                #expect(unsatisfiable.header("Content-Range") == "bytes */\(total)")

                try await client.write("GET /f HTTP/1.1\r\nRange: bytes=0-1,5-6\r\n\r\n")
                let multiple = try await client.readResponse()
                #expect(multiple.status == 200 && multiple.body.count == total)

                try await client.write("GET /offset HTTP/1.1\r\nRange: bytes=0-9\r\n\r\n")
                let offset = try await client.readResponse()
                #expect(offset.body == Array(Self.content[100..<110]))
                #expect(offset.header("Content-Range") == "bytes 0-9/1000")

                try await client.write("HEAD /f HTTP/1.1\r\n\r\n")
                let head = try await client.readResponse(headRequest: true)
                #expect(head.header("Content-Length") == "\(total)")
                try await client.write("GET /offset HTTP/1.1\r\n\r\n")
                #expect(try await client.readResponse().body == Array(Self.content[100..<1100]))
            }
        }
    }
}
