internal import COpenSSL

/// A freshly generated private key that signs JWS (RS256 with RSA 2048, ES256 with P-256) and publishes
/// its public half as JWK members. Used by tests that play an OpenID provider, and by anything that
/// needs a throwaway signing key.
public final class JWKSigningKey: @unchecked Sendable {
    // @unchecked Sendable: the EVP_PKEY is never mutated after generation; each signature uses its own
    // EVP_MD_CTX, which OpenSSL allows concurrently over one key.
    /// `RS256` or `ES256`.
    public let algorithm: String
    private let key: OpaquePointer

    /// Generates a key for `algorithm` (`RS256` or `ES256`); nil for anything else or if OpenSSL fails.
    public init?(algorithm: String) {
        let id: Int32
        switch algorithm {
        case "RS256": id = EVP_PKEY_RSA
        case "ES256": id = EVP_PKEY_EC
        default: return nil
        }
        guard let context = EVP_PKEY_CTX_new_id(id, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { return nil }
        if algorithm == "RS256" {
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048) == 1 else { return nil }
        } else {
            guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1 else { return nil }
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen(context, &generated) == 1, let generated else { return nil }
        key = generated
        self.algorithm = algorithm
    }

    deinit { EVP_PKEY_free(key) }

    /// The public JWK members: `kty` plus `n`/`e` (RSA) or `crv`/`x`/`y` (EC), base64url.
    public func publicMembers() -> [String: String] {
        if algorithm == "RS256" {
            return ["kty": "RSA", "n": JWKBase64URL.encode(bigNumber("n")), "e": JWKBase64URL.encode(bigNumber("e"))]
        }
        var point = [UInt8](repeating: 0, count: 65)
        var length = 0
        _ = EVP_PKEY_get_octet_string_param(key, "pub", &point, point.count, &length)
        return ["kty": "EC", "crv": "P-256", "x": JWKBase64URL.encode(Array(point[1..<33])),
                "y": JWKBase64URL.encode(Array(point[33..<65]))]
    }

    /// Signs `message`: PKCS#1 v1.5 for RS256, raw `r || s` for ES256. Nil if OpenSSL fails.
    public func sign(_ message: [UInt8]) -> [UInt8]? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { return nil }
        var length = 0
        guard message.withUnsafeBufferPointer({ EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) }) == 1
        else { return nil }
        var signature = [UInt8](repeating: 0, count: length)
        let status = signature.withUnsafeMutableBufferPointer { out in
            message.withUnsafeBufferPointer { EVP_DigestSign(context, out.baseAddress, &length, $0.baseAddress, $0.count) }
        }
        guard status == 1 else { return nil }
        signature.removeSubrange(length...)
        return algorithm == "ES256" ? JWKDER.rawECDSASignature(der: signature, size: 32) : signature
    }

    private func bigNumber(_ name: String) -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else { return [] }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        _ = BN_bn2bin(number, &bytes)
        return bytes
    }
}
