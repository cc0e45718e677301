import BerthCore
import Foundation
import Glibc
import Testing
@testable import HTTPServer

@Suite(.serialized) struct TLSFileTests {
    static let size = 50 << 20

    @Test func largeFileAndRangeOverTLS() async throws {
        let material = try TLSTests.Material()
        // Random bytes, compared with memcmp (Data ==): generating or hashing 50 MiB byte by byte is slow in debug builds.
        let random = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
        let content = try random.read(upToCount: Self.size) ?? Data()
        try random.close()
        #expect(content.count == Self.size)
        let path = material.dir + "/blob"
        _ = FileManager.default.createFile(atPath: path, contents: content)
        let handler: HTTPHandler = { _ in
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { return HTTPResponse(status: 500) }
            return HTTPResponse(status: 200, body: .file(FileRegion(fd: fd, offset: 0, length: Int64(Self.size))))
        }
        try await TLSTests().withTLSServer(material, handler: handler) { _, port in
            let url = "https://127.0.0.1:\(port)/blob"
            let out = material.dir + "/download"
            let full = try await curl(["-o", out], cacert: material.cert, urls: [url])
            #expect(full.status == 0)
            let downloaded = try Data(contentsOf: URL(fileURLWithPath: out))
            #expect(downloaded.count == Self.size)
            #expect(downloaded == content)

            let range = try await curl(["-r", "1000000-1999999"], cacert: material.cert, urls: [url])
            #expect(range.status == 0)
            #expect(range.stderr.contains("206"))
            #expect(Data(range.stdout) == content.subdata(in: 1_000_000..<2_000_000))
        }
    }

    @Test func reloadSwapsCertificateAndKeepsOldOnFailure() async throws {
        let material = try TLSTests.Material()
        let second = try TLSTests.Material()
        try await TLSTests().withTLSServer(material) { server, port in
            let url = "https://127.0.0.1:\(port)/hello"
            #expect(try await curl([], cacert: material.cert, urls: [url]).status == 0)
            #expect(try await curl([], cacert: second.cert, urls: [url]).status != 0)

            // Install the second certificate at the configured paths and reload.
            let oldCert = try Data(contentsOf: URL(fileURLWithPath: material.cert))
            try Data(contentsOf: URL(fileURLWithPath: second.cert)).write(to: URL(fileURLWithPath: material.cert))
            try Data(contentsOf: URL(fileURLWithPath: second.key)).write(to: URL(fileURLWithPath: material.key))
            try server.reloadCertificates()
            #expect(try await curl([], cacert: second.cert, urls: [url]).status == 0)
            let stale = try await curl([], cacert: NSTemporaryDirectory() + "none", urls: [url])
            #expect(stale.status != 0)
            let old = material.dir + "/old.pem"
            try oldCert.write(to: URL(fileURLWithPath: old))
            #expect(try await curl([], cacert: old, urls: [url]).status != 0)

            // A broken certificate is refused and the current one stays in use.
            try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: material.cert))
            #expect(throws: HTTPServerError.self) { try server.reloadCertificates() }
            #expect(try await curl([], cacert: second.cert, urls: [url]).status == 0)
        }
    }

    @Test func handshakeTimeoutClosesSilentClients() async throws {
        let material = try TLSTests.Material()
        try await TLSTests().withTLSServer(material, configure: { $0.headReadTimeoutSeconds = 1 }) { _, port in
            let client = try RawClient(port: port)
            #expect(await client.closedWithin(4))
        }
    }

    @Test func startFailsWithMissingCertificate() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.tls = TLSConfiguration(certificateChainPath: "/nonexistent/cert.pem",
                                             privateKeyPath: "/nonexistent/key.pem")
        let server = HTTPServer(configuration: configuration, handler: TLSTests.hello)
        #expect(throws: HTTPServerError.self) { try server.start() }
    }
}
