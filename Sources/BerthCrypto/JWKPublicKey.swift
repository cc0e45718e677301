internal import COpenSSL

/// A public key from a JSON Web Key (RFC 7517), able to verify JWS signatures: RS256 (RSA PKCS#1 v1.5
/// with SHA-256) and ES256 (ECDSA P-256 with SHA-256, raw `r || s`). Key material arrives as base64url
/// big-endian integers; it is turned into a SubjectPublicKeyInfo and loaded with OpenSSL.
public final class JWKPublicKey: @unchecked Sendable {
    // @unchecked Sendable: the EVP_PKEY is immutable after init and OpenSSL allows concurrent
    // verifications with one key, each through its own EVP_MD_CTX.
    /// The key type: `RSA` or `EC`.
    public let keyType: String
    /// The JWK `kid`, if any.
    public let keyID: String?
    /// The JWK `alg`, if any (a key restricted to one algorithm).
    public let algorithm: String?
    private let key: OpaquePointer

    /// Builds a key from JWK members (`kty` plus `n`/`e` or `crv`/`x`/`y` as base64url). Returns nil for
    /// other key types or curves, malformed members, or when OpenSSL refuses the key.
    public init?(keyType: String, keyID: String?, algorithm: String?, members: [String: String]) {
        let der: [UInt8]
        switch keyType {
        case "RSA":
            guard let n = members["n"].flatMap(JWKBase64URL.decode), let e = members["e"].flatMap(JWKBase64URL.decode),
                  n.count >= 256, !e.isEmpty else { return nil }
            der = JWKDER.rsaPublicKey(modulus: n, exponent: e)
        case "EC":
            guard members["crv"] == "P-256", let x = members["x"].flatMap(JWKBase64URL.decode),
                  let y = members["y"].flatMap(JWKBase64URL.decode), x.count == 32, y.count == 32 else { return nil }
            der = JWKDER.p256PublicKey(x: x, y: y)
        default:
            return nil
        }
        let loaded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let loaded else { return nil }
        self.key = loaded
        self.keyType = keyType
        self.keyID = keyID
        self.algorithm = algorithm
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether this key can check signatures made with JWS algorithm `alg`.
    public func supports(_ alg: String) -> Bool {
        if let algorithm, algorithm != alg { return false }
        switch alg {
        case "RS256": return keyType == "RSA"
        case "ES256": return keyType == "EC"
        default: return false
        }
    }

    /// True when `signature` over `message` verifies under this key with JWS algorithm `alg`.
    public func verify(signature: [UInt8], message: [UInt8], alg: String) -> Bool {
        guard supports(alg) else { return false }
        let der: [UInt8]
        if alg == "ES256" {
            guard let converted = JWKDER.ecdsaSignature(raw: signature, size: 32) else { return false }
            der = converted
        } else {
            der = signature
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let result = der.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        ERR_clear_error()
        return result == 1
    }
}
