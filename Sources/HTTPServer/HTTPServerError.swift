/// Errors raised by the HTTP server and request bodies.
public enum HTTPServerError: Error, Sendable, Equatable {
    /// The body exceeded the limit given to `collect(upTo:)`.
    case bodyTooLarge
    /// The client sent no body bytes for longer than the stall timeout.
    case bodyTimeout
    /// The connection closed before the body or response completed.
    case connectionClosed
    /// The chunked encoding of the body was invalid.
    case malformedBody
    /// The listener could not be created (address and reason).
    case bind(String)
    /// The TLS certificate or key could not be loaded (the reason from OpenSSL).
    case tls(String)
}
