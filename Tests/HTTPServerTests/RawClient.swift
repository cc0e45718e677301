import Glibc

/// A response as read off the wire by `RawClient`.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
}

/// A raw TCP client on 127.0.0.1 that never blocks a thread: non-blocking calls and short sleeps.
final class RawClient {
    let fd: Int32
    var buffer: [UInt8] = []
    var deadlineSeconds: Double = 10

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { Glibc.close(fd); throw ClientError(description: "connect failed") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { Glibc.close(fd) }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func write(_ text: String) async throws { try await write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        let deadline = now() + deadlineSeconds
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            guard n < 0 && errno == EAGAIN, now() < deadline else { throw ClientError(description: "send failed") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Reads more bytes into `buffer`; false at EOF (or reset).
    @discardableResult
    func fill() async throws -> Bool {
        let deadline = now() + deadlineSeconds
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer.append(contentsOf: chunk[..<n]); return true }
            if n == 0 { return false }
            if errno != EAGAIN { return false }
            guard now() < deadline else { throw ClientError(description: "read timed out") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    private func take(_ count: Int) -> [UInt8] {
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    private func line() async throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 10) {
                var bytes = take(lf + 1)
                bytes.removeLast()
                if bytes.last == 13 { bytes.removeLast() }
                return String(decoding: bytes, as: UTF8.self)
            }
            guard try await fill() else { throw ClientError(description: "EOF in line") }
        }
    }

    private func exactly(_ count: Int) async throws -> [UInt8] {
        while buffer.count < count {
            guard try await fill() else { throw ClientError(description: "EOF in body") }
        }
        return take(count)
    }

    /// Reads one response; `headRequest` means no body follows.
    func readResponse(headRequest: Bool = false) async throws -> RawResponse {
        let statusLine = try await line()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw ClientError(description: "bad status line \(statusLine)")
        }
        var headers: [(String, String)] = []
        while true {
            let field = try await line()
            if field.isEmpty { break }
            let colon = field.firstIndex(of: ":")!
            headers.append((String(field[..<colon]), String(field[field.index(after: colon)...]).trimmingCharacters()))
        }
        var response = RawResponse(status: status, headers: headers, body: [])
        if headRequest || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length") {
            response.body = try await exactly(Int(length)!)
        } else if response.header("Transfer-Encoding") == "chunked" {
            while true {
                let size = Int(try await line(), radix: 16)!
                if size == 0 { _ = try await line(); break }
                response.body += try await exactly(size)
                _ = try await line()
            }
        } else {
            response.body = try await readToEOF()
        }
        return response
    }

    func readToEOF() async throws -> [UInt8] {
        while try await fill() {}
        return take(buffer.count)
    }

    /// Whether the server closed the connection (EOF) within `seconds`.
    func closedWithin(_ seconds: Double) async -> Bool {
        let saved = deadlineSeconds
        deadlineSeconds = seconds
        defer { deadlineSeconds = saved }
        do {
            while try await fill() {}
            return true
        } catch {
            return false
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// FNV-1a, to compare bodies sent and received.
func checksum(_ bytes: [UInt8], seed: UInt64 = 0xcbf29ce484222325) -> UInt64 {
    var hash = seed
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
    return hash
}
