/// A response from the provider.
public struct OIDCHTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Outbound HTTP to the provider: discovery, JWKS and the token endpoint. A protocol so that tests
/// can count or fake calls; `OIDCURLSessionTransport` is the real one.
public protocol OIDCHTTPTransport: Sendable {
    /// `GET url` with `Accept: application/json`.
    func get(_ url: String) async throws -> OIDCHTTPResponse
    /// `POST url` with an `application/x-www-form-urlencoded` body and the given extra headers.
    func postForm(_ url: String, fields: [(String, String)], headers: [(String, String)]) async throws -> OIDCHTTPResponse
}
