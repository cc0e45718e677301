internal import COpenSSL

/// An RSA public key for RS256 verification (OIDC ID tokens), built from the JWK modulus and exponent.
public final class RSAPublicKey: @unchecked Sendable {
    // @unchecked Sendable: the EVP_PKEY is immutable after init and verification makes its own context.
    let pkey: OpaquePointer

    /// A key from the big-endian modulus `n` and exponent `e` (JWK `n`, `e` after base64url decoding).
    public init(modulus: [UInt8], exponent: [UInt8]) throws {
        guard modulus.count >= 128, !exponent.isEmpty else { throw CryptoError.invalidKey("RSA key too small") }
        let rsaKey = Self.sequence(Self.integer(modulus) + Self.integer(exponent))
        let algorithm = Self.sequence([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00])
        let spki = Self.sequence(algorithm + Self.element(0x03, [0x00] + rsaKey))
        guard let key = EVPKey.publicKey(spki: spki) else { throw CryptoError.invalidKey("invalid RSA key") }
        pkey = key
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    public func verify(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        EVPKey.verify(pkey, signature: signature, message: message)
    }

    static func integer(_ bytes: [UInt8]) -> [UInt8] {
        var value = Array(bytes.drop { $0 == 0 })
        if value.isEmpty { value = [0] }
        if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
        return element(0x02, value)
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { element(0x30, content) }

    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        let count = content.count
        if count < 128 {
            out.append(UInt8(count))
        } else {
            var length: [UInt8] = []
            var rest = count
            while rest > 0 { length.insert(UInt8(rest & 0xff), at: 0); rest >>= 8 }
            out.append(0x80 | UInt8(length.count))
            out += length
        }
        return out + content
    }
}
