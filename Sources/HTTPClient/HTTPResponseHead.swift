/// A parsed response head and how its body is framed.
struct HTTPResponseHead: Sendable {
    enum Framing: Sendable, Equatable {
        case none
        case length(Int64)
        case chunked
        /// Body runs until the peer closes (HTTP/1.0 style); the connection is not reusable.
        case untilClose
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var framing: Framing
    /// Whether the connection may be reused after the body.
    var keepAlive: Bool

    static let maxHeadBytes = 64 * 1024
    static let maxHeaderCount = 200

    /// Reads one response head from `connection`, skipping interim 1xx responses.
    static func read(from connection: HTTPClientConnection, method: String) throws -> HTTPResponseHead {
        while true {
            let head = try readOne(from: connection, method: method)
            if head.status >= 100 && head.status < 200 && head.status != 101 { continue }
            return head
        }
    }

    private static func readOne(from connection: HTTPClientConnection, method: String) throws -> HTTPResponseHead {
        var lines: [String] = []
        var total = 0
        while true {
            let line = try readLine(connection)
            total += line.count + 2
            guard total <= maxHeadBytes else { throw HTTPClientError.malformedResponse("response head too large") }
            if line.isEmpty { break }
            lines.append(String(decoding: line, as: UTF8.self))
            guard lines.count <= maxHeaderCount + 1 else { throw HTTPClientError.malformedResponse("too many headers") }
        }
        guard let statusLine = lines.first else { throw HTTPClientError.malformedResponse("empty head") }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]),
              (100...999).contains(status) else {
            throw HTTPClientError.malformedResponse("bad status line")
        }
        var headers: [(name: String, value: String)] = []
        var length: Int64?
        var chunked = false
        var keepAlive = parts[0] == "HTTP/1.1"
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPClientError.malformedResponse("bad header") }
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingSpaces()
            headers.append((name, value))
            switch name.lowercased() {
            case "content-length":
                guard let parsed = Int64(value), parsed >= 0, length == nil || length == parsed else {
                    throw HTTPClientError.malformedResponse("bad Content-Length")
                }
                length = parsed
            case "transfer-encoding":
                chunked = value.lowercased().hasSuffix("chunked")
            case "connection":
                let tokens = value.lowercased()
                if tokens.contains("close") { keepAlive = false }
                if tokens.contains("keep-alive") { keepAlive = true }
            default: break
            }
        }
        let framing: Framing
        if method == "HEAD" || status == 204 || status == 304 || status < 200 {
            framing = .none
        } else if chunked {
            framing = .chunked
        } else if let length {
            framing = length == 0 ? .none : .length(length)
        } else {
            framing = .untilClose
            keepAlive = false
        }
        return HTTPResponseHead(status: status, headers: headers, framing: framing, keepAlive: keepAlive)
    }

    /// One line without its CRLF (a bare LF is accepted).
    static func readLine(_ connection: HTTPClientConnection) throws -> [UInt8] {
        var scanned = 0
        while true {
            let window = connection.buffered
            if let newline = window.dropFirst(scanned).firstIndex(of: 0x0A) {
                var line = Array(window[window.startIndex..<newline])
                if line.last == 0x0D { line.removeLast() }
                connection.consume(newline - window.startIndex + 1)
                return line
            }
            scanned = window.count
            guard scanned <= maxHeadBytes else { throw HTTPClientError.malformedResponse("line too long") }
            guard try connection.fill() else { throw HTTPClientError.closed }
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
