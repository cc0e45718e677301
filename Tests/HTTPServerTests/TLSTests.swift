import BerthCore
import Foundation
import Synchronization
import Testing
@testable import HTTPServer

@Suite(.serialized) struct TLSTests {
    /// A temp directory holding a fresh self-signed certificate and key.
    final class Material {
        let dir: String
        var cert: String { dir + "/cert.pem" }
        var key: String { dir + "/key.pem" }
        init() throws {
            dir = NSTemporaryDirectory() + "berth-tls-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try SelfSignedCertificate.generate(certPath: dir + "/cert.pem", keyPath: dir + "/key.pem",
                                               hosts: ["localhost", "127.0.0.1"])
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    static let hello: HTTPHandler = { request in
        if request.method == .post {
            let body = try await request.body.collect(upTo: 64 << 20)
            return HTTPResponse(status: 200, body: .bytes(Array("\(body.count) \(checksum(body))".utf8)))
        }
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: .bytes(Array("hello tls\n".utf8)))
    }

    func withTLSServer(_ material: Material, handler: @escaping HTTPHandler = hello,
                       configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                       _ body: (HTTPServer, Int) async throws -> Void) async throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoops = 2
        configuration.tls = TLSConfiguration(certificateChainPath: material.cert, privateKeyPath: material.key)
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: handler)
        try server.start()
        do { try await body(server, server.boundPort) } catch {
            await server.shutdown(gracePeriodSeconds: 0)
            throw error
        }
        await server.shutdown(gracePeriodSeconds: 0)
    }

    @Test func generatedCertificateHasExpectedShape() async throws {
        let material = try Material()
        let mode = try FileManager.default.attributesOfItem(atPath: material.key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try await runTool("/usr/bin/openssl", ["x509", "-in", material.cert, "-noout", "-text"])
        #expect(text.status == 0)
        let dump = String(decoding: text.stdout, as: UTF8.self)
        #expect(dump.contains("DNS:localhost"))
        #expect(dump.contains("IP Address:127.0.0.1"))
        #expect(dump.contains("prime256v1") || dump.contains("P-256"))
    }

    @Test func tls13And12AndOldVersionsRefused() async throws {
        let material = try Material()
        try await withTLSServer(material) { _, port in
            let url = "https://127.0.0.1:\(port)/hello"
            let v13 = try await curl(["--tlsv1.3"], cacert: material.cert, urls: [url])
            #expect(v13.status == 0)
            #expect(String(decoding: v13.stdout, as: UTF8.self) == "hello tls\n")
            #expect(v13.stderr.contains("TLSv1.3"))

            let v12 = try await curl(["--tlsv1.2", "--tls-max", "1.2"], cacert: material.cert, urls: [url])
            #expect(v12.status == 0)
            #expect(String(decoding: v12.stdout, as: UTF8.self) == "hello tls\n")
            #expect(v12.stderr.contains("TLSv1.2 /"))

            let v11 = try await curl(["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0"],
                                     cacert: material.cert, urls: [url])
            #expect(v11.status != 0)
            #expect(v11.stdout.isEmpty)

            let untrusted = try await curl([], cacert: nil, urls: [url])
            #expect(untrusted.status != 0)
        }
    }

    @Test func serverRefusesTLS11Handshake() async throws {
        let material = try Material()
        try await withTLSServer(material) { _, port in
            // The client enables TLS 1.1 (security level 0); the server must answer with a protocol alert.
            let result = try await runTool("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)",
                                                                "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("protocol version") || result.stderr.contains("alert"))
        }
    }

    @Test func keepAliveAndUploadOverTLS() async throws {
        let material = try Material()
        let peers = Mutex<[String]>([])
        try await withTLSServer(material, configure: { configuration in
            configuration.accessLog = { entry in peers.withLock { $0.append(entry.remoteAddress) } }
        }) { _, port in
            let url = "https://127.0.0.1:\(port)/hello"
            let twice = try await curl([], cacert: material.cert, urls: [url, url])
            #expect(twice.status == 0)
            #expect(String(decoding: twice.stdout, as: UTF8.self) == "hello tls\nhello tls\n")
            try await Task.sleep(for: .milliseconds(100))
            let seen = peers.withLock { $0 }
            #expect(seen.count == 2 && Set(seen).count == 1)

            let payload = pattern(5 << 20, seed: 3)
            let path = NSTemporaryDirectory() + "berth-tls-upload-\(UUID().uuidString)"
            _ = FileManager.default.createFile(atPath: path, contents: Data(payload))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let upload = try await curl(["--data-binary", "@\(path)"], cacert: material.cert, urls: [url])
            #expect(upload.status == 0)
            #expect(String(decoding: upload.stdout, as: UTF8.self) == "\(payload.count) \(checksum(payload))")
        }
    }

    @Test func plainAndTLSServersShareOneHandler() async throws {
        let material = try Material()
        let metrics = MetricsCatalog()
        var plain = HTTPServerConfiguration()
        plain.host = "127.0.0.1"
        plain.port = 0
        plain.eventLoops = 1
        plain.metrics = metrics
        var secure = plain
        secure.tls = TLSConfiguration(certificateChainPath: material.cert, privateKeyPath: material.key)
        var router = HTTPRouter()
        router.add(.get, "/hello", Self.hello)
        let handler = router.handler()
        let http = HTTPServer(configuration: plain, handler: handler)
        let https = HTTPServer(configuration: secure, handler: handler)
        try http.start()
        try https.start()
        #expect(!http.isTLS && https.isTLS)
        let overTLS = try await curl([], cacert: material.cert, urls: ["https://127.0.0.1:\(https.boundPort)/hello"])
        let overPlain = try await curl([], cacert: nil, urls: ["http://127.0.0.1:\(http.boundPort)/hello"])
        // Plain HTTP sent to the TLS port is not answered as HTTP.
        let mismatched = try await curl([], cacert: nil, urls: ["http://127.0.0.1:\(https.boundPort)/hello"])
        await http.shutdown(gracePeriodSeconds: 0)
        await https.shutdown(gracePeriodSeconds: 0)
        #expect(overTLS.status == 0 && String(decoding: overTLS.stdout, as: UTF8.self) == "hello tls\n")
        #expect(overPlain.status == 0 && String(decoding: overPlain.stdout, as: UTF8.self) == "hello tls\n")
        #expect(mismatched.status != 0 || !String(decoding: mismatched.stdout, as: UTF8.self).contains("hello"))
        let text = metrics.registry.render()
        #expect(text.contains("berth_http_requests_total{method=\"GET\",route=\"/hello\",code=\"200\"} 2\n"))
    }
}
