/// An incremental HTTP/1.1 request-head parser with limits on head size, header count and URI length.
/// Feed it the unparsed bytes each time more arrive; it remembers how far it has scanned.
struct RequestHeadParser {
    let maxHeadBytes: Int
    let maxHeaderCount: Int
    let maxURILength: Int
    private var scanned = 0
    private var requestLineEnd: Int?

    init(maxHeadBytes: Int, maxHeaderCount: Int, maxURILength: Int) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxURILength = maxURILength
    }

    /// Forgets scan progress (call after a head was consumed).
    mutating func reset() { scanned = 0; requestLineEnd = nil }

    private static let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Looks for a complete head at the start of `buffer`.
    mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> HeadParseResult {
        var start = 0
        while start < buffer.count, buffer[start] == Self.cr || buffer[start] == Self.lf { start += 1 }
        if start == buffer.count {
            return start > 64 ? .failure(status: 400) : .needMore
        }
        var index = max(scanned, start)
        var end: Int?
        while index < buffer.count {
            if buffer[index] == Self.lf {
                if requestLineEnd == nil { requestLineEnd = index }
                if index >= 1 && buffer[index - 1] == Self.lf && index - 1 >= start { end = index + 1; break }
                if index >= 2 && buffer[index - 1] == Self.cr && buffer[index - 2] == Self.lf
                    && index - 2 >= start { end = index + 1; break }
            }
            index += 1
        }
        scanned = index
        guard let end else {
            if requestLineEnd == nil && buffer.count - start > maxURILength + 32 { return .failure(status: 414) }
            if buffer.count - start > maxHeadBytes { return .failure(status: 431) }
            return .needMore
        }
        if end - start > maxHeadBytes { return .failure(status: 431) }
        let head = UnsafeBufferPointer(rebasing: buffer[start..<end])
        switch HeadFieldsParser.parse(head, maxHeaderCount: maxHeaderCount, maxURILength: maxURILength) {
        case .success(let parsed): return .complete(parsed, consumed: end)
        case .failure(let failure): return .failure(status: failure.status)
        }
    }
}

/// A head rejection with its status code.
struct HeadError: Error { let status: Int }
