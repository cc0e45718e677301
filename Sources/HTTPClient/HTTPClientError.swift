/// Errors of the HTTP client. Connection-level failures (`connect`, `io`, `timeout`, `closed`) are the ones a
/// caller may retry; `malformedResponse` means the peer does not speak HTTP/1.1 as expected.
public enum HTTPClientError: Error, Equatable, Sendable {
    /// The URL could not be understood (scheme, host or port).
    case invalidURL(String)
    /// Name resolution or TCP connect failed.
    case connect(String)
    /// A read or write on an established connection failed.
    case io(String)
    /// No progress within the configured timeout.
    case timeout
    /// The peer closed the connection before a complete response.
    case closed
    /// The response head or body framing was invalid or over a limit.
    case malformedResponse(String)
    /// TLS setup, handshake or certificate verification failed.
    case tls(String)
    /// A streamed request body produced a different number of bytes than announced.
    case bodyLengthMismatch

    /// True for failures of the transport that a retry on a fresh connection may overcome.
    public var isTransient: Bool {
        switch self {
        case .connect, .io, .timeout, .closed: return true
        case .invalidURL, .malformedResponse, .tls, .bodyLengthMismatch: return false
        }
    }
}
