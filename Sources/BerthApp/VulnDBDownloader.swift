import BerthCore
import FoundationEssentials
import FoundationNetworking
import Glibc
import HTTPClient

/// Why a vulnerability database download failed; the message names the URL.
public struct VulnDBDownloadError: Error, CustomStringConvertible, Sendable {
    public let url: String
    /// The HTTP status, when the server answered.
    public let status: Int?
    public let reason: String

    public var description: String {
        status.map { "download of \(url) failed: HTTP \($0)" + (reason.isEmpty ? "" : " (\(reason))") }
            ?? "download of \(url) failed: \(reason)"
    }
}

/// Fetches one URL into a file, streaming (never the whole body in memory) and refusing bodies larger than
/// a bound. `http://` goes through our `HTTPClient`; `https://` through URLSession (libcurl, which honours
/// the usual proxy variables and the system trust store).
struct VulnDBDownloader: Sendable {
    var http: HTTPClient = HTTPClient()

    /// Downloads `url` to `path` (created or truncated); returns the byte count. Throws
    /// `VulnDBDownloadError` for a non-200 answer, a body over `maxBytes`, or a transport failure.
    func download(_ url: String, to path: String, maxBytes: Int64) async throws -> Int64 {
        if url.hasPrefix("https://") { return try await downloadTLS(url, to: path, maxBytes: maxBytes) }
        guard let parsed = HTTPClientURL(url), parsed.scheme == "http" else {
            throw VulnDBDownloadError(url: url, status: nil, reason: "not an http:// or https:// URL")
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(method: "GET", url: parsed))
        } catch {
            throw VulnDBDownloadError(url: url, status: nil, reason: "\(error)")
        }
        guard response.status == 200 else {
            throw VulnDBDownloadError(url: url, status: response.status, reason: "")
        }
        if let length = response.contentLength, length > maxBytes {
            throw VulnDBDownloadError(url: url, status: 200, reason: "\(length) bytes is more than the \(maxBytes)-byte limit")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw VulnDBDownloadError(url: url, status: nil, reason: "cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        var total: Int64 = 0
        do {
            for try await chunk in response.body where !chunk.isEmpty {
                total += Int64(chunk.count)
                guard total <= maxBytes else {
                    throw VulnDBDownloadError(url: url, status: 200, reason: "body larger than the \(maxBytes)-byte limit")
                }
                try Self.writeAll(fd, chunk, path: path)
            }
        } catch let error as VulnDBDownloadError {
            throw error
        } catch {
            throw VulnDBDownloadError(url: url, status: 200, reason: "connection failed mid-body: \(error)")
        }
        return total
    }

    private func downloadTLS(_ url: String, to path: String, maxBytes: Int64) async throws -> Int64 {
        guard let target = URL(string: url) else { throw VulnDBDownloadError(url: url, status: nil, reason: "invalid URL") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (file, response): (URL, URLResponse)
        do {
            (file, response) = try await session.download(for: URLRequest(url: target))
        } catch {
            throw VulnDBDownloadError(url: url, status: nil, reason: "\(error)")
        }
        defer { unlink(file.path) }
        guard let http = response as? HTTPURLResponse else {
            throw VulnDBDownloadError(url: url, status: nil, reason: "not an HTTP response")
        }
        guard http.statusCode == 200 else { throw VulnDBDownloadError(url: url, status: http.statusCode, reason: "") }
        var info = stat()
        guard stat(file.path, &info) == 0 else { throw VulnDBDownloadError(url: url, status: 200, reason: "downloaded file vanished") }
        guard Int64(info.st_size) <= maxBytes else {
            throw VulnDBDownloadError(url: url, status: 200, reason: "body larger than the \(maxBytes)-byte limit")
        }
        unlink(path)
        if rename(file.path, path) != 0 {
            // Another file system: copy by streaming.
            try Self.copy(file.path, to: path)
        }
        return Int64(info.st_size)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw VulnDBDownloadError(url: path, status: nil, reason: "write failed: errno \(errno)") }
            offset += n
        }
    }

    static func copy(_ from: String, to: String) throws {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw VulnDBDownloadError(url: from, status: nil, reason: "cannot open: errno \(errno)") }
        defer { close(input) }
        let output = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw VulnDBDownloadError(url: to, status: nil, reason: "cannot create: errno \(errno)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw VulnDBDownloadError(url: from, status: nil, reason: "read failed: errno \(errno)") }
            if n == 0 { return }
            try writeAll(output, Array(buffer[0..<n]), path: to)
        }
    }
}
