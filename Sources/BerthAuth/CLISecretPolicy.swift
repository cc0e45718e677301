import BerthCrypto

/// What a CLI secret looks like: generated ones are 32 random letters and digits; one a user sets must
/// follow Harbor's password rule (8 to 128 characters with an uppercase letter, a lowercase letter and a digit).
public enum CLISecretPolicy {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A fresh random secret (about 190 bits), guaranteed to satisfy `isAcceptable`.
    public static func generate(length: Int = 32) -> String {
        while true {
            var out: [UInt8] = []
            while out.count < length {
                // 248 = 4 * 62: rejecting bytes at or above it keeps every character equally likely.
                for byte in SecureRandom.bytes(length) where byte < 248 && out.count < length {
                    out.append(alphabet[Int(byte) % alphabet.count])
                }
            }
            let secret = String(decoding: out, as: UTF8.self)
            if isAcceptable(secret) { return secret }
        }
    }

    /// Whether `secret` may be set as a CLI secret.
    public static func isAcceptable(_ secret: String) -> Bool {
        let count = secret.unicodeScalars.count
        guard count >= 8, count <= 128 else { return false }
        let scalars = secret.unicodeScalars
        return scalars.contains { ("A"..."Z").contains($0) } && scalars.contains { ("a"..."z").contains($0) }
            && scalars.contains { ("0"..."9").contains($0) }
    }
}
