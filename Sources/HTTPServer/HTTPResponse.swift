import BerthCore

/// The body of a response.
public enum HTTPResponseBody: Sendable {
    /// No body.
    case empty
    /// Bytes in memory.
    case bytes([UInt8])
    /// A file region sent with `sendfile`; the server closes the descriptor.
    case file(FileRegion)
    /// A stream; sent with `Content-Length` when `length` is known, chunked otherwise.
    case stream(ByteStream, length: Int64?)

    /// The body length if known without reading it.
    public var knownLength: Int64? {
        switch self {
        case .empty: return 0
        case .bytes(let bytes): return Int64(bytes.count)
        case .file(let region): return region.length
        case .stream(_, let length): return length
        }
    }
}

/// A response: status, headers and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPResponseBody

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: HTTPResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Handles one request.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// Wraps handlers: authentication, logging, error mapping.
public protocol HTTPMiddleware: Sendable {
    /// Handles `request`, usually by calling `next`.
    func respond(to request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse
}
