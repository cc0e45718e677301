internal import COpenSSL

/// One connection's OpenSSL session, used only on its event loop's thread (non-blocking socket).
final class TLSSession {
    /// The outcome of a read or write.
    enum Outcome: Equatable {
        /// Bytes transferred.
        case bytes(Int)
        /// Retry when the socket is readable.
        case wantRead
        /// Retry when the socket is writable.
        case wantWrite
        /// The peer closed the TLS session cleanly (or the socket ended).
        case closed
        /// A protocol or socket error; close the connection.
        case failed
    }

    private let ssl: OpaquePointer
    private var freed = false
    /// Set after a fatal error: OpenSSL forbids `SSL_shutdown` then.
    private var broken = false

    init(ssl: OpaquePointer) {
        self.ssl = ssl
    }

    deinit { free() }

    /// Whether the handshake has completed.
    var isEstablished: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Whether decrypted bytes are buffered inside OpenSSL (epoll cannot see them).
    var hasPendingBytes: Bool { SSL_has_pending(ssl) == 1 }

    /// The negotiated protocol, e.g. "TLSv1.3".
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// Decrypts up to `count` bytes into `buffer` (driving the handshake first when needed).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Outcome {
        let result = SSL_read(ssl, buffer, Int32(clamping: count))
        return result > 0 ? .bytes(Int(result)) : outcome(of: result)
    }

    /// Encrypts and sends up to `count` bytes (partial writes allowed; retry with the rest).
    func write(_ bytes: UnsafeRawPointer, count: Int) -> Outcome {
        guard count > 0 else { return .bytes(0) }
        let result = SSL_write(ssl, bytes, Int32(clamping: count))
        return result > 0 ? .bytes(Int(result)) : outcome(of: result)
    }

    private func outcome(of result: Int32) -> Outcome {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            broken = true
            ERR_clear_error()
            return .failed
        }
    }

    /// Sends close_notify when the session is healthy (best effort, never blocks), then frees it.
    func shutdown() {
        guard !freed else { return }
        if !broken && isEstablished {
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
        }
        free()
    }

    private func free() {
        guard !freed else { return }
        freed = true
        SSL_free(ssl)
    }
}
