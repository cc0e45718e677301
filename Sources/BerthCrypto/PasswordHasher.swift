internal import COpenSSL

/// Salted, slow password hashing with PBKDF2-HMAC-SHA256, and fast salted hashing for random,
/// high-entropy secrets (robot secrets), in one self-describing text format:
/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>` or `sha256$<salt hex>$<hash hex>`.
/// Verification compares in constant time.
public struct PasswordHasher: Sendable {
    /// The iteration count used for new hashes (OWASP 2023: at least 600,000 for PBKDF2-SHA256).
    public let iterations: Int
    /// The production minimum.
    public static let recommendedIterations = 600_000

    /// - Parameter iterations: lower counts are for tests only; production code uses the default.
    public init(iterations: Int = PasswordHasher.recommendedIterations) {
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration")
        self.iterations = iterations
    }

    /// A new PBKDF2 hash of `password` with a fresh 16-byte salt.
    public func hash(_ password: String) -> String {
        let salt = SecureRandom.bytes(16)
        let derived = Self.pbkdf2(Array(password.utf8), salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Hex.encode(salt))$\(Hex.encode(derived))"
    }

    /// A fast salted SHA-256 hash, only for random secrets of at least 128 bits.
    public static func hashSecret(_ secret: String) -> String {
        let salt = SecureRandom.bytes(16)
        return "sha256$\(Hex.encode(salt))$\(Hex.encode(sha256(salt + Array(secret.utf8))))"
    }

    /// Whether `password` matches `stored` (either format). Malformed hashes never match.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]), iterations >= 1,
           iterations <= 10_000_000, let salt = Hex.decode(parts[2]), let expected = Hex.decode(parts[3]),
           expected.count == 32 {
            return ConstantTime.equals(pbkdf2(Array(password.utf8), salt: salt, iterations: iterations), expected)
        }
        if parts.count == 3, parts[0] == "sha256", let salt = Hex.decode(parts[1]), let expected = Hex.decode(parts[2]),
           expected.count == 32 {
            return ConstantTime.equals(sha256(salt + Array(password.utf8)), expected)
        }
        return false
    }

    static func pbkdf2(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        // A non-null pointer even for an empty password.
        let length = password.count
        let password = password.isEmpty ? [UInt8(0)] : password
        let status = password.withUnsafeBufferPointer { pass in
            salt.withUnsafeBufferPointer { saltBytes in
                out.withUnsafeMutableBufferPointer { outBytes in
                    pass.withMemoryRebound(to: CChar.self) { passChars in
                        PKCS5_PBKDF2_HMAC(passChars.baseAddress, Int32(length), saltBytes.baseAddress,
                                          Int32(saltBytes.count), Int32(iterations), EVP_sha256(), 32, outBytes.baseAddress)
                    }
                }
            }
        }
        precondition(status == 1, "PBKDF2 failed")
        return out
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Hex.decode(Hashing.digest(of: bytes).hex) ?? []
    }
}
