import BerthCrypto
import FoundationEssentials

/// A JWT in JWS compact serialisation, split and decoded but not yet verified.
public struct OIDCCompactJWS: Sendable {
    /// The protected header's `alg`.
    public let algorithm: String
    /// The protected header's `kid`, when present.
    public let keyID: String?
    /// The payload's claims.
    public let claims: [String: OIDCClaimValue]
    /// The bytes that were signed: `base64url(header) "." base64url(payload)`.
    public let signingInput: [UInt8]
    /// The decoded signature.
    public let signature: [UInt8]

    private struct Header: Decodable {
        let alg: String
        let kid: String?
        let crit: [String]?
    }

    /// Parses `token`; throws `OIDCError.malformedToken` unless it has three base64url parts with JSON
    /// header and payload objects.
    public init(_ token: String) throws(OIDCError) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = JWKBase64URL.decode(parts[0]),
              let payloadBytes = JWKBase64URL.decode(parts[1]),
              let signature = JWKBase64URL.decode(parts[2]), !signature.isEmpty else {
            throw .malformedToken("not a compact JWS")
        }
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: Data(headerBytes)) else {
            throw .malformedToken("invalid header")
        }
        // Critical extensions we do not understand make the token invalid (RFC 7515 section 4.1.11).
        if let crit = header.crit, !crit.isEmpty { throw .malformedToken("unsupported crit header") }
        guard let claims = try? decoder.decode([String: OIDCClaimValue].self, from: Data(payloadBytes)) else {
            throw .malformedToken("payload is not a JSON object")
        }
        algorithm = header.alg
        keyID = header.kid
        self.claims = claims
        signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        self.signature = signature
    }
}
