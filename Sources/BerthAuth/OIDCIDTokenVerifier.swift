import BerthCrypto

/// Checks an ID token (OpenID Connect Core 3.1.3.7): signature by one of the provider's keys (RS256 or
/// ES256 only; `none` and HMAC are refused), `iss`, `aud` (and `azp` when there are several audiences),
/// `exp`, `iat` and `nonce`.
public struct OIDCIDTokenVerifier: Sendable {
    public let issuer: String
    public let clientID: String
    public let clockSkewSeconds: Int64
    static let allowedAlgorithms: Set<String> = ["RS256", "ES256"]

    public init(issuer: String, clientID: String, clockSkewSeconds: Int64 = 60) {
        self.issuer = issuer
        self.clientID = clientID
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// Verifies `token` and returns its claims.
    public func verify(_ token: String, nonce: String, now: Int64, keys: OIDCKeyCache, jwksURI: String)
        async throws -> [String: OIDCClaimValue] {
        let jws = try OIDCCompactJWS(token)
        guard Self.allowedAlgorithms.contains(jws.algorithm) else {
            throw OIDCError.invalidSignature("algorithm \(jws.algorithm) not accepted")
        }
        let candidates = try await keys.keys(jwksURI: jwksURI, alg: jws.algorithm, kid: jws.keyID, now: now)
        guard !candidates.isEmpty else { throw OIDCError.invalidSignature("no provider key for kid \(jws.keyID ?? "-")") }
        guard candidates.contains(where: { $0.verify(signature: jws.signature, message: jws.signingInput, alg: jws.algorithm) })
        else { throw OIDCError.invalidSignature("signature does not verify") }
        try checkClaims(jws.claims, nonce: nonce, now: now)
        return jws.claims
    }

    /// The claim checks alone (the signature is checked first by `verify`).
    public func checkClaims(_ claims: [String: OIDCClaimValue], nonce: String, now: Int64) throws(OIDCError) {
        guard let iss = claims["iss"]?.text,
              OIDCProviderMetadata.trimmed(iss) == OIDCProviderMetadata.trimmed(issuer) else {
            throw .invalidClaims("iss")
        }
        let audiences = claims["aud"]?.strings ?? []
        guard audiences.contains(clientID) else { throw .invalidClaims("aud") }
        if audiences.count > 1, let azp = claims["azp"]?.text, azp != clientID { throw .invalidClaims("azp") }
        guard let exp = claims["exp"]?.number else { throw .invalidClaims("exp missing") }
        guard Double(now) < exp + Double(clockSkewSeconds) else { throw .invalidClaims("expired") }
        guard let iat = claims["iat"]?.number else { throw .invalidClaims("iat missing") }
        guard iat <= Double(now + clockSkewSeconds) else { throw .invalidClaims("issued in the future") }
        guard let sub = claims["sub"]?.text, !sub.isEmpty else { throw .invalidClaims("sub missing") }
        guard let tokenNonce = claims["nonce"]?.text, !nonce.isEmpty, tokenNonce == nonce else {
            throw .invalidClaims("nonce")
        }
    }
}
