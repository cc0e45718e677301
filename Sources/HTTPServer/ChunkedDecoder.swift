/// An incremental decoder of the chunked transfer coding. Trailers are read and ignored.
struct ChunkedDecoder {
    private enum State {
        case size, extensions, sizeLF, data, dataCR, dataLF, trailerStart, trailer, finalLF, done
    }

    /// The largest chunk accepted (hex digits beyond this are rejected).
    static let maxChunkSize: Int64 = 1 << 40
    /// The longest chunk-size line (with extensions) and trailer section accepted.
    static let maxLineBytes = 4096, maxTrailerBytes = 16384

    private var state = State.size
    private var size: Int64 = 0
    private var digits = 0
    private var lineBytes = 0
    private var trailerBytes = 0

    /// Whether the final chunk and trailers have been read.
    var isDone: Bool { state == .done }

    /// Decodes from `input`, appending data to `output`; returns the bytes consumed (stops after the end).
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) throws(HTTPServerError) -> Int {
        var i = 0
        while i < input.count && state != .done {
            let c = input[i]
            switch state {
            case .size:
                if let digit = PercentCoding.hex(c) {
                    size = size << 4 | Int64(digit)
                    digits += 1
                    guard digits <= 11, size <= Self.maxChunkSize else { throw .malformedBody }
                } else if digits > 0 && (c == 0x3B || c == 0x20 || c == 0x09) {
                    state = .extensions
                } else if digits > 0 && c == 0x0D {
                    state = .sizeLF
                } else if digits > 0 && c == 0x0A {
                    try endSizeLine()
                } else {
                    throw .malformedBody
                }
                try countLine()
                i += 1
            case .extensions:
                if c == 0x0D { state = .sizeLF } else if c == 0x0A { try endSizeLine() }
                try countLine()
                i += 1
            case .sizeLF:
                guard c == 0x0A else { throw .malformedBody }
                try endSizeLine()
                i += 1
            case .data:
                let take = Int(min(Int64(input.count - i), size))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<(i + take)]))
                size -= Int64(take)
                i += take
                if size == 0 { state = .dataCR }
            case .dataCR:
                if c == 0x0D { state = .dataLF } else if c == 0x0A { resetSize() } else { throw .malformedBody }
                i += 1
            case .dataLF:
                guard c == 0x0A else { throw .malformedBody }
                resetSize()
                i += 1
            case .trailerStart:
                if c == 0x0D { state = .finalLF } else if c == 0x0A { state = .done } else { state = .trailer }
                try countTrailer()
                i += 1
            case .trailer:
                if c == 0x0A { state = .trailerStart }
                try countTrailer()
                i += 1
            case .finalLF:
                guard c == 0x0A else { throw .malformedBody }
                state = .done
                i += 1
            case .done:
                break
            }
        }
        return i
    }

    private mutating func endSizeLine() throws(HTTPServerError) {
        state = size == 0 ? .trailerStart : .data
    }

    private mutating func resetSize() {
        state = .size
        size = 0
        digits = 0
        lineBytes = 0
    }

    private mutating func countLine() throws(HTTPServerError) {
        lineBytes += 1
        if lineBytes > Self.maxLineBytes { throw .malformedBody }
    }

    private mutating func countTrailer() throws(HTTPServerError) {
        trailerBytes += 1
        if trailerBytes > Self.maxTrailerBytes { throw .malformedBody }
    }
}
