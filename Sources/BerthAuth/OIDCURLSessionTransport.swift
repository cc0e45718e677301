import FoundationEssentials
import FoundationNetworking

/// `OIDCHTTPTransport` over FoundationNetworking's URLSession (libcurl). It always verifies TLS
/// certificates against the system trust store: URLSession on Linux offers no hook to skip that.
public struct OIDCURLSessionTransport: OIDCHTTPTransport {
    private let session: URLSession
    private let timeoutSeconds: Double

    /// A transport with its own ephemeral session (no cookies, no cache) and a per-request timeout.
    public init(timeoutSeconds: Double = 15) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
        self.timeoutSeconds = timeoutSeconds
    }

    public func get(_ url: String) async throws -> OIDCHTTPResponse {
        var request = URLRequest(url: try Self.url(url), timeoutInterval: timeoutSeconds)
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return try await send(request)
    }

    public func postForm(_ url: String, fields: [(String, String)], headers: [(String, String)]) async throws
        -> OIDCHTTPResponse {
        var request = URLRequest(url: try Self.url(url), timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(OIDCFormEncoding.encode(fields).utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> OIDCHTTPResponse {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw OIDCError.provider("not an HTTP response") }
        return OIDCHTTPResponse(status: http.statusCode, body: [UInt8](data))
    }

    private static func url(_ text: String) throws(OIDCError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else { throw .provider("invalid URL \(text)") }
        return url
    }
}
