internal import COpenSSL
import Glibc

/// One TCP (optionally TLS) connection with a read buffer. All methods block; call them on pool threads only.
final class HTTPClientConnection: @unchecked Sendable {
    // @unchecked Sendable: a connection is owned by one request at a time (checked out of the pool, used by
    // one task sequentially, then checked back in under the pool's lock), so its state is never shared.
    let key: String
    private let fd: Int32
    private var ssl: OpaquePointer?
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var start = 0
    private var end = 0
    /// Requests completed on this connection (0 for a fresh one).
    var uses = 0

    /// Resolves `url.host`, connects within `timeout` seconds and, for https, performs the TLS handshake.
    init(url: HTTPClientURL, timeout: Int, tls: HTTPClientTLS?) throws {
        key = url.poolKey
        fd = try Self.connect(host: url.host, port: url.port, timeout: timeout)
        do {
            if let tls { ssl = try tls.handshake(fd: fd, host: url.host) }
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    deinit {
        if let ssl { SSL_free(ssl) }
        Glibc.close(fd)
    }

    /// True when the peer has closed or sent unexpected bytes while idle: such a connection is not reused.
    var isStale: Bool {
        if end > start { return true }
        var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&probe, 1, 0) != 0
    }

    // MARK: Writing

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let count: Int
            if let ssl {
                let result = SSL_write(ssl, bytes.baseAddress! + done, Int32(min(bytes.count - done, 1 << 30)))
                if result <= 0 { throw failure(ssl, result, "write") }
                count = Int(result)
            } else {
                count = Glibc.send(fd, bytes.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Self.errnoFailure("send")
                }
            }
            done += count
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    // MARK: Reading

    /// Bytes buffered but not yet consumed.
    var buffered: ArraySlice<UInt8> { buffer[start..<end] }

    /// Marks `count` buffered bytes as consumed.
    func consume(_ count: Int) { start += count }

    /// Reads more bytes into the buffer; false at end of stream.
    func fill() throws -> Bool {
        if start == end { start = 0; end = 0 }
        if end == buffer.count {
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                end -= start
                start = 0
            } else {
                buffer += [UInt8](repeating: 0, count: buffer.count)
            }
        }
        let count = try buffer.withUnsafeMutableBytes { raw in
            try receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
        }
        end += count
        return count > 0
    }

    private func receive(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        if let ssl {
            let result = SSL_read(ssl, target.baseAddress, Int32(min(target.count, 1 << 30)))
            if result > 0 { return Int(result) }
            let code = SSL_get_error(ssl, result)
            if code == SSL_ERROR_ZERO_RETURN { return 0 }
            throw failure(ssl, result, "read")
        }
        while true {
            let count = Glibc.recv(fd, target.baseAddress, target.count, 0)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw Self.errnoFailure("recv")
        }
    }

    private func failure(_ ssl: OpaquePointer, _ result: Int32, _ what: String) -> HTTPClientError {
        let code = SSL_get_error(ssl, result)
        if code == SSL_ERROR_SYSCALL || code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE {
            if errno == EAGAIN || errno == EWOULDBLOCK { return .timeout }
            if result == 0 || errno == 0 { return .closed }
            return Self.errnoFailure("tls " + what)
        }
        return .io("tls \(what): \(HTTPClientTLS.lastErrorText())")
    }

    static func errnoFailure(_ call: String) -> HTTPClientError {
        if errno == EAGAIN || errno == EWOULDBLOCK { return .timeout }
        if errno == ECONNRESET || errno == EPIPE { return .closed }
        return .io("\(call): \(String(cString: strerror(errno)))")
    }

    // MARK: Connecting

    private static func connect(host: String, port: Int, timeout: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw HTTPClientError.connect("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, timeout: timeout) {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                var limit = timeval(tv_sec: timeout, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                return fd
            }
            lastError = String(cString: strerror(errno))
            Glibc.close(fd)
        }
        throw HTTPClientError.connect("\(host):\(port): \(lastError)")
    }

    /// Non-blocking connect waited for with poll, then back to blocking mode.
    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: socklen_t,
                                timeout: Int) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { return false }
            var probe = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var ready: Int32
            repeat { ready = poll(&probe, 1, Int32(timeout * 1000)) } while ready < 0 && errno == EINTR
            guard ready > 0 else { errno = ETIMEDOUT; return false }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { errno = error; return false }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return true
    }
}
