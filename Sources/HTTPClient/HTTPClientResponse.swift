import BerthCore

/// A response whose head has arrived. The body streams from the connection as it is read; the connection
/// returns to the pool once the body has been read to its end. Dropping an unread body closes the connection.
public struct HTTPClientResponse: Sendable {
    public let status: Int
    /// Header fields in received order, names as sent.
    public let headers: [(name: String, value: String)]
    /// The body in chunks of at most 64 KiB.
    public let body: ByteStream
    /// `Content-Length` when the response had one.
    public let contentLength: Int64?

    init(status: Int, headers: [(name: String, value: String)], body: ByteStream, contentLength: Int64?) {
        self.status = status
        self.headers = headers
        self.body = body
        self.contentLength = contentLength
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Reads the whole body; throws `HTTPClientError.malformedResponse` beyond `limit` bytes.
    public func collect(limit: Int = 16 << 20) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await chunk in body {
            out += chunk
            if out.count > limit { throw HTTPClientError.malformedResponse("body over \(limit) bytes") }
        }
        return out
    }
}
