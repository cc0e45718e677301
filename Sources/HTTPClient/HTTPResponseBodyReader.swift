/// Reads a response body chunk by chunk according to its framing. Blocking; used from pool threads by one
/// consumer at a time.
final class HTTPResponseBodyReader: @unchecked Sendable {
    // @unchecked Sendable: owned by one response body stream, whose iterator calls `next` sequentially.
    let connection: HTTPClientConnection
    private var framing: HTTPResponseHead.Framing
    private var remaining: Int64 = 0
    private var chunkedDone = false
    private(set) var finished = false

    static let maxChunk = 64 * 1024

    init(connection: HTTPClientConnection, framing: HTTPResponseHead.Framing) {
        self.connection = connection
        self.framing = framing
        if case .length(let length) = framing { remaining = length }
        if framing == .none { finished = true }
    }

    /// The next piece of the body, or nil at its end.
    func next() throws -> [UInt8]? {
        guard !finished else { return nil }
        switch framing {
        case .none:
            finished = true
            return nil
        case .length:
            let piece = try take(max: remaining, eofIsError: true)
            remaining -= Int64(piece.count)
            if remaining == 0 { finished = true }
            return piece
        case .untilClose:
            let piece = try take(max: Int64.max, eofIsError: false)
            if piece.isEmpty { finished = true; return nil }
            return piece
        case .chunked:
            return try nextChunked()
        }
    }

    private func nextChunked() throws -> [UInt8]? {
        if remaining == 0 {
            let line = try HTTPResponseHead.readLine(connection)
            let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
            guard let size = Int64(String(decoding: sizeText, as: UTF8.self).trimmingSpaces(), radix: 16),
                  size >= 0 else {
                throw HTTPClientError.malformedResponse("bad chunk size")
            }
            if size == 0 {
                // Trailers, then the final empty line.
                while !(try HTTPResponseHead.readLine(connection)).isEmpty {}
                finished = true
                return nil
            }
            remaining = size
        }
        let piece = try take(max: remaining, eofIsError: true)
        remaining -= Int64(piece.count)
        if remaining == 0 {
            guard try HTTPResponseHead.readLine(connection).isEmpty else {
                throw HTTPClientError.malformedResponse("missing CRLF after chunk")
            }
        }
        return piece
    }

    /// Up to `max` bytes (at most `maxChunk`), from the buffer or one read.
    private func take(max: Int64, eofIsError: Bool) throws -> [UInt8] {
        if connection.buffered.isEmpty {
            guard try connection.fill() else {
                if eofIsError { throw HTTPClientError.closed }
                return []
            }
        }
        let window = connection.buffered
        let count = Int(min(Int64(window.count), max, Int64(Self.maxChunk)))
        let piece = Array(window.prefix(count))
        connection.consume(count)
        return piece
    }
}
