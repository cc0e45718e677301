/// One line of the access log, delivered after a response has been written. Requests rejected while
/// parsing the head are logged with method and target "-"; connections lost mid-response are not logged.
public struct AccessLogEntry: Sendable {
    /// The peer, "ip:port".
    public var remoteAddress: String
    /// The request method.
    public var method: String
    /// The raw request-target.
    public var target: String
    /// The status code sent.
    public var status: Int
    /// Bytes written to the socket for this response (head and body).
    public var bytesSent: Int64
    /// From the end of the request head to the end of the response.
    public var durationSeconds: Double
    /// The router's matched pattern (e.g. `/v2/{name+}/blobs/{digest}`), nil when no route matched.
    public var route: String? = nil
    /// Request bytes read for this request (head and body as received, after TLS decryption).
    public var bytesReceived: Int64 = 0
}
