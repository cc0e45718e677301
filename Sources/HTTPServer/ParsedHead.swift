/// A request head as parsed by `RequestHeadParser`, with the framing facts the server needs.
struct ParsedHead: Sendable {
    var method: String
    var target: String
    var isHTTP10: Bool
    var headers: [(name: String, value: String)]
    /// From `Content-Length`; nil when absent.
    var contentLength: Int64?
    /// Whether the body is chunked.
    var chunked: Bool
    /// Whether the connection may stay open after this request.
    var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue`.
    var expectContinue: Bool

    /// Whether a body follows the head.
    var hasBody: Bool { chunked || (contentLength ?? 0) > 0 }
}

/// The result of feeding bytes to a `RequestHeadParser`.
enum HeadParseResult {
    /// The head is not complete yet.
    case needMore
    /// The head is complete and used `consumed` bytes.
    case complete(ParsedHead, consumed: Int)
    /// The head is invalid; answer `status` and close.
    case failure(status: Int)
}
