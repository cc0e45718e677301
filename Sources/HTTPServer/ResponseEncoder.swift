import BerthCore

/// Turns a handler's response into wire bytes: ranges, framing headers, HEAD handling.
enum ResponseEncoder {
    /// A response ready for the loop.
    struct Prepared {
        var status: Int
        /// The head, with an in-memory body appended.
        var bytes: [UInt8]
        var file: FileRegion?
        var stream: ByteStream?
        var streamLength: Int64?
        var chunked = false
    }

    static let lastChunk = Array("0\r\n\r\n".utf8)

    static func prepare(_ response: HTTPResponse, for request: ParsedHead, close: inout Bool) -> Prepared {
        var status = response.status
        var headers = response.headers
        var body = response.body
        let isHead = request.method == "HEAD"
        if case .file(let region) = body {
            if !headers.contains("Accept-Ranges") { headers["Accept-Ranges"] = "bytes" }
            if status == 200 && request.method == "GET", let range = rangeHeader(request) {
                switch ByteRange.resolve(range, total: region.length) {
                case .full:
                    break
                case let .partial(start, length):
                    status = 206
                    headers["Content-Length"] = nil
                    headers["Content-Range"] = "bytes \(start)-\(start + length - 1)/\(region.length)"
                    body = .file(FileRegion(fd: region.fd, offset: region.offset + start, length: length))
                case .unsatisfiable:
                    status = 416
                    region.close()
                    headers["Content-Length"] = nil
                    headers["Content-Range"] = "bytes */\(region.length)"
                    body = .empty
                }
            }
        }
        let bodyless = isHead || status == 204 || status == 304 || status < 200
        if status == 204 || status < 200 {
            headers["Content-Length"] = nil
        } else if status == 304 {
            headers["Transfer-Encoding"] = nil
        } else if let length = body.knownLength {
            if !(isHead && headers.contains("Content-Length")) { headers["Content-Length"] = String(length) }
            headers["Transfer-Encoding"] = nil
        } else if !bodyless {
            if request.isHTTP10 {
                close = true
                headers["Transfer-Encoding"] = nil
            } else {
                headers["Transfer-Encoding"] = "chunked"
            }
        }
        if let connection = headers["Connection"], HTTPHeaders.namesEqual(connection, "close") { close = true }
        if close {
            headers["Connection"] = "close"
        } else if request.isHTTP10 {
            headers["Connection"] = "keep-alive"
        }
        var prepared = Prepared(status: status, bytes: head(status: status, headers: headers))
        if bodyless {
            if case .file(let region) = body { region.close() }
            return prepared
        }
        switch body {
        case .empty: break
        case .bytes(let bytes): prepared.bytes.append(contentsOf: bytes)
        case .file(let region): prepared.file = region
        case let .stream(stream, length):
            prepared.stream = stream
            prepared.streamLength = length
            prepared.chunked = length == nil && !request.isHTTP10
        }
        return prepared
    }

    private static func rangeHeader(_ request: ParsedHead) -> String? {
        for field in request.headers where HTTPHeaders.namesEqual(field.name, "Range") { return field.value }
        return nil
    }

    /// Serializes a status line and header fields.
    static func head(status: Int, headers: HTTPHeaders) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + headers.count * 40)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &bytes)
        bytes.append(0x20)
        bytes.append(contentsOf: StatusReason.phrase(status).utf8)
        bytes.append(contentsOf: [0x0D, 0x0A])
        for field in headers {
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: [0x3A, 0x20])
            bytes.append(contentsOf: field.value.utf8)
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
        return bytes
    }

    /// Frames one chunk of a chunked response.
    static func frame(_ chunk: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunk.count + 20)
        bytes.append(contentsOf: String(chunk.count, radix: 16).utf8)
        bytes.append(contentsOf: [0x0D, 0x0A])
        bytes.append(contentsOf: chunk)
        bytes.append(contentsOf: [0x0D, 0x0A])
        return bytes
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value >= 100 && value <= 999 {
            bytes.append(UInt8(48 + value / 100))
            bytes.append(UInt8(48 + value / 10 % 10))
            bytes.append(UInt8(48 + value % 10))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }
}
