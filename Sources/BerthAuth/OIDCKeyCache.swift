import BerthCrypto

/// Caches the provider's JWKS. A token whose `kid` is unknown triggers one refetch (key rotation), but
/// at most once per `minimumRefreshSeconds`, so forged `kid`s cannot make Berth hammer the provider.
public actor OIDCKeyCache {
    private let transport: any OIDCHTTPTransport
    private let minimumRefreshSeconds: Int64
    private var keySet: OIDCKeySet?
    private var fetchedAt: Int64 = .min
    private var jwksURI: String?
    /// How many times the JWKS was fetched (for tests and metrics).
    public private(set) var fetchCount = 0

    public init(transport: any OIDCHTTPTransport, minimumRefreshSeconds: Int64 = 30) {
        self.transport = transport
        self.minimumRefreshSeconds = minimumRefreshSeconds
    }

    /// Keys that may verify a token with `alg` and `kid`, fetching or refreshing the JWKS as needed.
    public func keys(jwksURI: String, alg: String, kid: String?, now: Int64) async throws -> [JWKPublicKey] {
        if self.jwksURI != jwksURI { keySet = nil; self.jwksURI = jwksURI; fetchedAt = .min }
        if let keySet {
            let found = keySet.candidates(alg: alg, kid: kid)
            if !found.isEmpty || now - fetchedAt < minimumRefreshSeconds { return found }
        }
        try await refresh(now: now)
        return keySet?.candidates(alg: alg, kid: kid) ?? []
    }

    private func refresh(now: Int64) async throws {
        guard let jwksURI else { return }
        fetchCount += 1
        let response = try await transport.get(jwksURI)
        guard response.status == 200 else { throw OIDCError.provider("JWKS answered \(response.status)") }
        keySet = try OIDCKeySet.parse(response.body)
        fetchedAt = now
    }
}
