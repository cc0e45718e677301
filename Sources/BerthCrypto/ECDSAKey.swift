internal import COpenSSL

/// An ECDSA P-256 key (private, or public only) for ES256 signatures. Signatures are the JOSE form:
/// 64 bytes, `r || s`, each big-endian and zero-padded to 32 bytes.
public final class ECDSAKey: @unchecked Sendable {
    // @unchecked Sendable: the EVP_PKEY is never mutated after init; OpenSSL 3 allows concurrent
    // sign/verify on one key because each operation creates its own EVP_MD_CTX.
    let pkey: OpaquePointer
    /// Whether the key can sign.
    public let isPrivate: Bool

    /// The SubjectPublicKeyInfo prefix of a P-256 key; the uncompressed point follows.
    static let p256SPKIPrefix: [UInt8] = [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                          0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00]

    private init(pkey: OpaquePointer, isPrivate: Bool) {
        self.pkey = pkey
        self.isPrivate = isPrivate
    }

    deinit { EVP_PKEY_free(pkey) }

    /// A new random P-256 private key.
    public static func generate() throws -> ECDSAKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw CryptoError.openSSL("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1,
              EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw CryptoError.openSSL("P-256 key generation")
        }
        return ECDSAKey(pkey: key, isPrivate: true)
    }

    /// Reads a private key from its DER encoding (`privateKeyDER`); it must be a P-256 key.
    public convenience init(privateKeyDER der: [UInt8]) throws {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &pointer, buffer.count)
        }
        guard let key else { throw CryptoError.invalidKey("not a DER private key") }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC, EVP_PKEY_get_bits(key) == 256 else {
            EVP_PKEY_free(key)
            throw CryptoError.invalidKey("not a P-256 key")
        }
        self.init(pkey: key, isPrivate: true)
    }

    /// A public key from the JWK coordinates `x` and `y` (32 bytes each).
    public convenience init(x: [UInt8], y: [UInt8]) throws {
        guard x.count == 32, y.count == 32 else { throw CryptoError.invalidKey("P-256 coordinates must be 32 bytes") }
        let spki = Self.p256SPKIPrefix + [0x04] + x + y
        guard let key = EVPKey.publicKey(spki: spki) else { throw CryptoError.invalidKey("not a point on P-256") }
        self.init(pkey: key, isPrivate: false)
    }

    /// The private key as DER (PKCS#8 or SEC1, as OpenSSL writes it), for storage.
    public var privateKeyDER: [UInt8] {
        precondition(isPrivate, "public-only key")
        return EVPKey.encode { i2d_PrivateKey(pkey, $0) }
    }

    /// The SubjectPublicKeyInfo DER of the public key.
    public var publicKeyDER: [UInt8] { EVPKey.encode { i2d_PUBKEY(pkey, $0) } }

    /// The JWK `x` and `y` coordinates.
    public var coordinates: (x: [UInt8], y: [UInt8]) {
        let point = Array(publicKeyDER.suffix(64))
        return (Array(point.prefix(32)), Array(point.suffix(32)))
    }

    /// A key id in the libtrust style Docker uses: base32 of the first 30 bytes of SHA-256(SPKI DER),
    /// in twelve colon-separated groups of four.
    public var keyID: String {
        let hash = PasswordHasher.sha256(publicKeyDER).prefix(30)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits: UInt64 = 0, count = 0, text = ""
        for byte in hash {
            bits = bits << 8 | UInt64(byte)
            count += 8
            while count >= 5 {
                count -= 5
                text.append(alphabet[Int(bits >> UInt64(count) & 31)])
            }
        }
        var groups: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty { groups.append(String(rest.prefix(4))); rest = rest.dropFirst(4) }
        return groups.joined(separator: ":")
    }

    /// Signs SHA-256(`message`) and returns the 64-byte `r || s` signature.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        precondition(isPrivate, "public-only key cannot sign")
        let der = try EVPKey.sign(pkey, message)
        var pointer: UnsafePointer<UInt8>?
        let signature: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            pointer = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &pointer, buffer.count)
        }
        guard let signature else { throw CryptoError.openSSL("ECDSA signature decode") }
        defer { ECDSA_SIG_free(signature) }
        var out = [UInt8](repeating: 0, count: 64)
        out.withUnsafeMutableBufferPointer { buffer in
            _ = BN_bn2binpad(ECDSA_SIG_get0_r(signature), buffer.baseAddress, 32)
            _ = BN_bn2binpad(ECDSA_SIG_get0_s(signature), buffer.baseAddress! + 32, 32)
        }
        return out
    }

    /// Whether `signature` (64-byte `r || s`) is valid for `message`.
    public func verify(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let ecdsa = ECDSA_SIG_new() else { return false }
        defer { ECDSA_SIG_free(ecdsa) }
        let r = signature.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, 32, nil) }
        let s = signature.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + 32, 32, nil) }
        guard let r, let s, ECDSA_SIG_set0(ecdsa, r, s) == 1 else {
            BN_free(r); BN_free(s)
            return false
        }
        let der = EVPKey.encode { i2d_ECDSA_SIG(ecdsa, $0) }
        return EVPKey.verify(pkey, signature: der, message: message)
    }
}

/// Errors of the key and signature code.
public enum CryptoError: Error, Equatable, Sendable {
    case openSSL(String)
    case invalidKey(String)
}

/// Shared EVP helpers for the key types.
enum EVPKey {
    /// Runs an OpenSSL `i2d_*` function twice (length, then bytes).
    static func encode(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8] {
        let length = i2d(nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d(&pointer)
        }
        return out
    }

    static func publicKey(spki: [UInt8]) -> OpaquePointer? {
        spki.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &pointer, buffer.count)
        }
    }

    static func sign(_ pkey: OpaquePointer, _ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { throw CryptoError.openSSL("sign init") }
        var length = 0
        let ok = message.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, nil, &length, input.baseAddress, input.count) == 1
        }
        guard ok else { throw CryptoError.openSSL("sign length") }
        var out = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { EVP_DigestSign(context, $0.baseAddress, &length, input.baseAddress, input.count) }
        }
        guard signed == 1 else { throw CryptoError.openSSL("sign") }
        return Array(out.prefix(length))
    }

    static func verify(_ pkey: OpaquePointer, signature: [UInt8], message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { input in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, input.baseAddress, input.count)
            }
        }
        ERR_clear_error()
        return result == 1
    }
}
