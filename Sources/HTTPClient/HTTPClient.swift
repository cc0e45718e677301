import BerthCore
import Glibc
import Synchronization

/// A small HTTP/1.1 client: keep-alive connections pooled per scheme, host and port; `Content-Length`,
/// chunked and close-delimited responses; streamed request and response bodies; TLS through OpenSSL with
/// certificate verification. Blocking socket work runs on a `BlockingPool`, never on the cooperative pool.
public final class HTTPClient: Sendable {
    /// Client settings.
    public struct Configuration: Sendable {
        /// Seconds allowed for connect, and for each read or write to make progress.
        public var timeoutSeconds = 30
        /// Idle connections kept per host.
        public var maxIdlePerHost = 16
        /// CA bundle for https; nil means `AWS_CA_BUNDLE` when set, else the system default.
        public var caBundlePath: String? = nil

        public init() {}
    }

    let configuration: Configuration
    let pool: BlockingPool
    private let idle = Mutex<[String: [HTTPClientConnection]]>([:])
    private let tls = Mutex<HTTPClientTLS?>(nil)

    /// Creates a client; `pool` runs the blocking socket calls.
    public init(configuration: Configuration = Configuration(), pool: BlockingPool = .shared) {
        self.configuration = configuration
        self.pool = pool
    }

    /// Sends `request` and returns once the response head has arrived. A request with a replayable body that
    /// fails on a reused keep-alive connection before any response byte is sent once more on a fresh one.
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let reused = checkOut(request.url.poolKey)
        do {
            return try await execute(request, on: reused)
        } catch let error as HTTPClientError where reused != nil && error.isTransient && request.body.isReplayable {
            return try await execute(request, on: nil)
        }
    }

    private func execute(_ request: HTTPClientRequest, on pooled: HTTPClientConnection?) async throws
        -> HTTPClientResponse {
        let connection: HTTPClientConnection
        if let pooled {
            connection = pooled
        } else {
            let url = request.url, timeout = configuration.timeoutSeconds
            let context = request.url.isTLS ? try tlsContext() : nil
            connection = try await pool.run { try HTTPClientConnection(url: url, timeout: timeout, tls: context) }
        }
        let head = try await send(request, on: connection)
        connection.uses += 1
        let reader = HTTPResponseBodyReader(connection: connection, framing: head.framing)
        let keepAlive = head.keepAlive
        // A HEAD response announces the length of the body a GET would have.
        let announced = head.headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int64($0.value) }
        let length: Int64? = head.framing == .chunked ? nil : announced ?? (head.framing == .none ? 0 : nil)
        if reader.finished {
            if keepAlive { checkIn(connection) }
            return HTTPClientResponse(status: head.status, headers: head.headers,
                                      body: ByteStream { $0.finish() }, contentLength: length)
        }
        let body = ByteStream(unfolding: { [pool, self] in
            if reader.finished { return nil }
            let piece = try await pool.run { try reader.next() }
            if reader.finished && keepAlive { self.checkIn(reader.connection) }
            return piece
        })
        return HTTPClientResponse(status: head.status, headers: head.headers, body: body, contentLength: length)
    }

    /// Writes head and body, then reads the response head.
    private func send(_ request: HTTPClientRequest, on connection: HTTPClientConnection) async throws
        -> HTTPResponseHead {
        let method = request.method
        switch request.body {
        case .none:
            let head = encodeHead(request, length: ["GET", "HEAD", "DELETE"].contains(method) ? nil : 0)
            return try await pool.run {
                try connection.write(head)
                return try HTTPResponseHead.read(from: connection, method: method)
            }
        case .bytes(let bytes):
            let head = encodeHead(request, length: Int64(bytes.count))
            return try await pool.run {
                try connection.write(bytes.count <= 64 * 1024 ? head + bytes : head)
                if bytes.count > 64 * 1024 { try connection.write(bytes) }
                return try HTTPResponseHead.read(from: connection, method: method)
            }
        case .file(let region):
            let head = encodeHead(request, length: region.length)
            return try await pool.run {
                try connection.write(head)
                try Self.sendFile(region, on: connection)
                return try HTTPResponseHead.read(from: connection, method: method)
            }
        case .stream(let stream, let length):
            let head = encodeHead(request, length: length)
            try await pool.run { try connection.write(head) }
            var sent: Int64 = 0
            for try await chunk in stream where !chunk.isEmpty {
                sent += Int64(chunk.count)
                if let length, sent > length { throw HTTPClientError.bodyLengthMismatch }
                let framed = length == nil
                    ? Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + [13, 10] : chunk
                try await pool.run { try connection.write(framed) }
            }
            if let length, sent != length { throw HTTPClientError.bodyLengthMismatch }
            let trailer: [UInt8] = length == nil ? Array("0\r\n\r\n".utf8) : []
            return try await pool.run {
                if !trailer.isEmpty { try connection.write(trailer) }
                return try HTTPResponseHead.read(from: connection, method: method)
            }
        }
    }

    private static func sendFile(_ region: FileRegion, on connection: HTTPClientConnection) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while offset < region.length {
            let want = Int(min(Int64(buffer.count), region.length - offset))
            let count = buffer.withUnsafeMutableBytes { pread(region.fd, $0.baseAddress, want, off_t(region.offset + offset)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw HTTPClientError.io("pread of request body file failed") }
            try buffer.withUnsafeBytes { try connection.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += Int64(count)
        }
    }

    private func encodeHead(_ request: HTTPClientRequest, length: Int64?) -> [UInt8] {
        var text = "\(request.method) \(request.url.target) HTTP/1.1\r\nHost: \(request.url.hostHeader)\r\n"
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "host" || lower == "content-length" || lower == "transfer-encoding" { continue }
            text += "\(name): \(value)\r\n"
        }
        if let length {
            text += "Content-Length: \(length)\r\n"
        } else if case .stream = request.body {
            text += "Transfer-Encoding: chunked\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    // MARK: Pool

    private func checkOut(_ key: String) -> HTTPClientConnection? {
        while let connection = idle.withLock({ $0[key]?.popLast() }) {
            if !connection.isStale { return connection }
        }
        return nil
    }

    private func checkIn(_ connection: HTTPClientConnection) {
        guard !connection.isStale else { return }
        idle.withLock { connections in
            var list = connections[connection.key] ?? []
            if list.count < configuration.maxIdlePerHost { list.append(connection) }
            connections[connection.key] = list
        }
    }

    /// Number of idle pooled connections (for tests and metrics).
    public var idleConnectionCount: Int { idle.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    private func tlsContext() throws -> HTTPClientTLS {
        try tls.withLock { current in
            if let current { return current }
            let path = configuration.caBundlePath ?? (getenv("AWS_CA_BUNDLE").map { String(cString: $0) })
            let made = try HTTPClientTLS(caBundlePath: path)
            current = made
            return made
        }
    }
}
