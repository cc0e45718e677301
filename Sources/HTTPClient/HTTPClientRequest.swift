import BerthCore

/// One request for `HTTPClient.execute`.
public struct HTTPClientRequest: Sendable {
    /// The body of a request.
    public enum Body: Sendable {
        /// No body (no `Content-Length` is sent for GET, HEAD and DELETE; `0` otherwise).
        case none
        /// Bytes in memory; replayable, so such requests can be retried.
        case bytes([UInt8])
        /// A stream of chunks. With `length` it is sent with `Content-Length` and must produce exactly
        /// that many bytes; without, it is sent chunked. Streams cannot be replayed.
        case stream(ByteStream, length: Int64?)
        /// A region of an open file, read with `pread`; replayable. The caller keeps ownership of the fd.
        case file(FileRegion)

        /// Whether the body can be sent again on a retry.
        public var isReplayable: Bool {
            if case .stream = self { return false }
            return true
        }
    }

    public var method: String
    public var url: HTTPClientURL
    /// Header fields in order; `Host`, `Content-Length` and `Transfer-Encoding` are added by the client.
    public var headers: [(name: String, value: String)]
    public var body: Body

    /// Creates a request.
    public init(method: String, url: HTTPClientURL, headers: [(name: String, value: String)] = [],
                body: Body = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
