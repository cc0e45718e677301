/// A request body: an async sequence of byte chunks, read at most once.
public struct HTTPRequestBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    enum Storage: Sendable {
        case empty
        case bytes([UInt8])
        case channel(BodyChannel)
    }

    let storage: Storage
    /// The length from `Content-Length`; nil for chunked bodies.
    public let contentLength: Int64?
    /// Whether the body uses chunked transfer coding.
    public let isChunked: Bool

    init(storage: Storage, contentLength: Int64?, isChunked: Bool) {
        self.storage = storage
        self.contentLength = contentLength
        self.isChunked = isChunked
    }

    /// No body.
    public static let empty = HTTPRequestBody(storage: .empty, contentLength: 0, isChunked: false)

    /// A body held in memory (for tests and internal calls).
    public static func bytes(_ b: [UInt8]) -> HTTPRequestBody {
        HTTPRequestBody(storage: .bytes(b), contentLength: Int64(b.count), isChunked: false)
    }

    /// Reads the whole body; throws `HTTPServerError.bodyTooLarge` beyond `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        if let contentLength, contentLength > Int64(limit) { throw HTTPServerError.bodyTooLarge }
        var result: [UInt8] = []
        if let contentLength { result.reserveCapacity(Int(contentLength)) }
        for try await chunk in self {
            guard result.count + chunk.count <= limit else { throw HTTPServerError.bodyTooLarge }
            result.append(contentsOf: chunk)
        }
        return result
    }

    /// The most bytes the server buffered for this body at once (for tests of backpressure).
    package var peakBufferedBytes: Int {
        if case .channel(let channel) = storage { return channel.peakBuffered }
        return 0
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(storage: storage) }

    /// Iterates the chunks of the body.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var storage: Storage
        var done = false

        public mutating func next() async throws -> [UInt8]? {
            guard !done else { return nil }
            switch storage {
            case .empty:
                done = true
                return nil
            case .bytes(let bytes):
                done = true
                return bytes.isEmpty ? nil : bytes
            case .channel(let channel):
                let chunk = try await channel.next()
                if chunk == nil { done = true }
                return chunk
            }
        }
    }
}
