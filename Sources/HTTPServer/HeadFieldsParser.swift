/// Parses a complete request head (request line and header fields) and derives the framing.
enum HeadFieldsParser {
    private static let sp = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), colon = UInt8(ascii: ":")

    /// Token characters (RFC 9110 tchar).
    private static let tchar: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(c)] = true }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(c)] = true }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(c)] = true }
        for c in "!#$%&'*+-.^_`|~".utf8 { table[Int(c)] = true }
        return table
    }()

    static func parse(_ head: UnsafeBufferPointer<UInt8>, maxHeaderCount: Int,
                      maxURILength: Int) -> Result<ParsedHead, HeadError> {
        var lines = LineCursor(buffer: head)
        guard let requestLine = lines.next() else { return .failure(HeadError(status: 400)) }
        let lineResult = parseRequestLine(requestLine, maxURILength: maxURILength)
        guard case .success(let (method, target, isHTTP10)) = lineResult else {
            if case .failure(let error) = lineResult { return .failure(error) }
            return .failure(HeadError(status: 400))
        }
        var parsed = ParsedHead(method: method, target: target, isHTTP10: isHTTP10, headers: [],
                                contentLength: nil, chunked: false, keepAlive: !isHTTP10, expectContinue: false)
        parsed.headers.reserveCapacity(12)
        var sawTransferEncoding = false
        while let line = lines.next() {
            if line.isEmpty { break }
            guard parsed.headers.count < maxHeaderCount else { return .failure(HeadError(status: 431)) }
            guard let (name, value) = parseField(line) else { return .failure(HeadError(status: 400)) }
            parsed.headers.append((name: name, value: value))
            if let error = apply(name: name, value: value, to: &parsed, sawTransferEncoding: &sawTransferEncoding) {
                return .failure(error)
            }
        }
        if sawTransferEncoding && parsed.contentLength != nil { return .failure(HeadError(status: 400)) }
        return .success(parsed)
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>,
                                         maxURILength: Int) -> Result<(String, String, Bool), HeadError> {
        guard let firstSpace = line.firstIndex(of: sp), firstSpace > 0 else { return .failure(HeadError(status: 400)) }
        for i in 0..<firstSpace where !tchar[Int(line[i])] { return .failure(HeadError(status: 400)) }
        guard let lastSpace = line.lastIndex(of: sp), lastSpace > firstSpace + 1 else {
            return .failure(HeadError(status: 400))
        }
        let targetRange = (firstSpace + 1)..<lastSpace
        if targetRange.count > maxURILength { return .failure(HeadError(status: 414)) }
        for i in targetRange where line[i] <= sp || line[i] == 0x7F { return .failure(HeadError(status: 400)) }
        let version = UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])
        guard version.count == 8, version.starts(with: "HTTP/".utf8), version[6] == UInt8(ascii: ".") else {
            return .failure(HeadError(status: 400))
        }
        let major = version[5], minor = version[7]
        guard major == UInt8(ascii: "1") else {
            let isDigit = major >= UInt8(ascii: "0") && major <= UInt8(ascii: "9")
            return .failure(HeadError(status: isDigit ? 505 : 400))
        }
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1") else { return .failure(HeadError(status: 505)) }
        let method = String(decoding: UnsafeBufferPointer(rebasing: line[..<firstSpace]), as: UTF8.self)
        let target = String(decoding: UnsafeBufferPointer(rebasing: line[targetRange]), as: UTF8.self)
        return .success((method, target, minor == UInt8(ascii: "0")))
    }

    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) -> (String, String)? {
        guard let colonIndex = line.firstIndex(of: colon), colonIndex > 0 else { return nil }
        for i in 0..<colonIndex where !tchar[Int(line[i])] { return nil }
        var start = colonIndex + 1, end = line.count
        while start < end && (line[start] == sp || line[start] == tab) { start += 1 }
        while end > start && (line[end - 1] == sp || line[end - 1] == tab) { end -= 1 }
        for i in start..<end {
            let c = line[i]
            if (c < sp && c != tab) || c == 0x7F { return nil }
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[..<colonIndex]), as: UTF8.self)
        let value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return (name, value)
    }

    private static func apply(name: String, value: String, to parsed: inout ParsedHead,
                              sawTransferEncoding: inout Bool) -> HeadError? {
        switch name.utf8.count {
        case 14 where HTTPHeaders.namesEqual(name, "Content-Length"):
            guard let length = parseLength(value) else { return HeadError(status: 400) }
            if let existing = parsed.contentLength, existing != length { return HeadError(status: 400) }
            parsed.contentLength = length
        case 17 where HTTPHeaders.namesEqual(name, "Transfer-Encoding"):
            if sawTransferEncoding || parsed.isHTTP10 { return HeadError(status: 400) }
            sawTransferEncoding = true
            guard HTTPHeaders.namesEqual(value, "chunked") else { return HeadError(status: 501) }
            parsed.chunked = true
        case 10 where HTTPHeaders.namesEqual(name, "Connection"):
            for token in value.utf8.split(separator: UInt8(ascii: ",")) {
                let word = String(decoding: token, as: UTF8.self).trimmingSpaces()
                if HTTPHeaders.namesEqual(word, "close") { parsed.keepAlive = false }
                if HTTPHeaders.namesEqual(word, "keep-alive") && parsed.isHTTP10 { parsed.keepAlive = true }
            }
        case 6 where HTTPHeaders.namesEqual(name, "Expect"):
            if HTTPHeaders.namesEqual(value, "100-continue") {
                parsed.expectContinue = !parsed.isHTTP10
            } else {
                return HeadError(status: 417)
            }
        default:
            break
        }
        return nil
    }

    private static func parseLength(_ value: String) -> Int64? {
        guard !value.isEmpty, value.utf8.count <= 18 else { return nil }
        var result: Int64 = 0
        for c in value.utf8 {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int64(c - UInt8(ascii: "0"))
        }
        return result
    }
}

/// Iterates the lines of a head, without their CRLF or LF.
struct LineCursor {
    let buffer: UnsafeBufferPointer<UInt8>
    var position = 0

    mutating func next() -> UnsafeBufferPointer<UInt8>? {
        guard position < buffer.count else { return nil }
        var end = position
        while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
        var lineEnd = end
        if lineEnd > position && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let line = UnsafeBufferPointer(rebasing: buffer[position..<lineEnd])
        position = end + 1
        return line
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != 32 && $0 != 9 })!
        return String(Substring(bytes[first...last]))
    }
}
