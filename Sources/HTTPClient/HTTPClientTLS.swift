internal import COpenSSL
import BerthCore
import Glibc

/// A client TLS context: TLS 1.2 or newer, peer certificates verified against a CA bundle. The bundle is
/// `AWS_CA_BUNDLE` (or the explicit `caBundlePath`) when readable, otherwise the system default paths; an
/// unreadable bundle is logged and skipped, never fatal.
final class HTTPClientTLS: @unchecked Sendable {
    // @unchecked Sendable: the SSL_CTX is configured once in init and only read afterwards (SSL_new),
    // which OpenSSL documents as safe from many threads.
    let context: OpaquePointer

    init(caBundlePath: String?) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw HTTPClientError.tls("SSL_CTX_new failed") }
        self.context = context
        _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        var loaded = false
        if let path = caBundlePath, !path.isEmpty {
            if access(path, R_OK) == 0, SSL_CTX_load_verify_locations(context, path, nil) == 1 {
                loaded = true
            } else {
                ERR_clear_error()
                Log.warning("http client: CA bundle \(path) is not readable or not PEM; using the system default")
            }
        }
        if !loaded && SSL_CTX_set_default_verify_paths(context) != 1 {
            ERR_clear_error()
            Log.warning("http client: no system CA paths could be loaded")
        }
    }

    deinit { SSL_CTX_free(context) }

    /// Wraps connected socket `fd` and performs the handshake, verifying that the certificate names `host`.
    func handshake(fd: Int32, host: String) throws -> OpaquePointer {
        guard let ssl = SSL_new(context) else { throw HTTPClientError.tls("SSL_new failed") }
        do {
            guard SSL_set_fd(ssl, fd) == 1 else { throw HTTPClientError.tls("SSL_set_fd failed") }
            if Self.isIPLiteral(host) {
                guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                    throw HTTPClientError.tls("bad IP literal \(host)")
                }
            } else {
                _ = host.withCString { SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                                                UnsafeMutableRawPointer(mutating: $0)) }
                guard SSL_set1_host(ssl, host) == 1 else { throw HTTPClientError.tls("SSL_set1_host failed") }
            }
            let result = SSL_connect(ssl)
            guard result == 1 else {
                let code = SSL_get_error(ssl, result)
                let detail = Self.lastErrorText()
                if code == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    throw HTTPClientError.timeout
                }
                throw HTTPClientError.tls("handshake with \(host) failed: \(detail) (verify: \(SSL_get_verify_result(ssl)))")
            }
            return ssl
        } catch {
            SSL_free(ssl)
            throw error
        }
    }

    static func isIPLiteral(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// Text of the most recent OpenSSL error, clearing the queue.
    static func lastErrorText() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no OpenSSL error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
