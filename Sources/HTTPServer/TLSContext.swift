internal import COpenSSL
import Synchronization

/// The server's current OpenSSL context (certificate, key, protocol limits). `reload()` builds a new
/// context from the files and swaps it in; connections already open keep their own reference to the old one.
final class TLSContext: Sendable {
    /// An `SSL_CTX` pointer that may cross threads.
    private struct Handle: @unchecked Sendable {
        // @unchecked Sendable: an SSL_CTX is internally locked by OpenSSL and safe to share between
        // threads once configured; we only configure it before publishing it under the mutex.
        let pointer: OpaquePointer
    }

    let configuration: TLSConfiguration
    private let current = Mutex<Handle?>(nil)

    init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    deinit {
        current.withLock { handle in
            if let handle { SSL_CTX_free(handle.pointer) }
            handle = nil
        }
    }

    /// Re-reads the certificate chain and key. On failure the previous context stays in use and the
    /// error (`HTTPServerError.tls`) is thrown.
    func reload() throws {
        let made = try Self.makeContext(configuration)
        let old = current.withLock { handle -> Handle? in
            defer { handle = Handle(pointer: made) }
            return handle
        }
        if let old { SSL_CTX_free(old.pointer) }
    }

    /// A new server-side session for an accepted socket, or nil when no context is loaded.
    func makeSession(fd: Int32) -> TLSSession? {
        let ssl: OpaquePointer? = current.withLock { handle in
            guard let handle else { return nil }
            return SSL_new(handle.pointer)
        }
        guard let ssl else { return nil }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            ERR_clear_error()
            return nil
        }
        SSL_set_accept_state(ssl)
        return TLSSession(ssl: ssl)
    }

    private static func makeContext(_ configuration: TLSConfiguration) throws -> OpaquePointer {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw HTTPServerError.tls("SSL_CTX_new: \(lastError())") }
        var ok = false
        defer { if !ok { SSL_CTX_free(ctx) } }
        guard SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil) == 1,
              SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_3_VERSION), nil) == 1 else {
            throw HTTPServerError.tls("protocol versions: \(lastError())")
        }
        let mode = SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS
        _ = SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, Int(mode), nil)
        // SSL_OP_* are SSL_OP_BIT(n) macros, which Swift does not import: IGNORE_UNEXPECTED_EOF (7),
        // NO_COMPRESSION (17), CIPHER_SERVER_PREFERENCE (22), NO_RENEGOTIATION (30).
        let options: UInt64 = (1 << 7) | (1 << 17) | (1 << 22) | (1 << 30)
        _ = SSL_CTX_set_options(ctx, options)
        guard SSL_CTX_use_certificate_chain_file(ctx, configuration.certificateChainPath) == 1 else {
            throw HTTPServerError.tls("certificate \(configuration.certificateChainPath): \(lastError())")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw HTTPServerError.tls("private key \(configuration.privateKeyPath): \(lastError())")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw HTTPServerError.tls("private key does not match the certificate: \(lastError())")
        }
        ok = true
        return ctx
    }

    /// The oldest queued OpenSSL error as text; clears the queue.
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
