import BerthCore
import BerthCrypto

/// Proof Key for Code Exchange (RFC 7636) with the S256 method.
public enum OIDCPKCE {
    /// A fresh verifier: 32 random bytes as base64url (43 characters, within the 43...128 the RFC allows).
    public static func makeVerifier() -> String {
        JWKBase64URL.encode(SecureRandom.bytes(32))
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public static func challenge(for verifier: String) -> String {
        let digest = Hashing.digest(of: Array(verifier.utf8))
        return JWKBase64URL.encode(Hex.decode(digest.hex) ?? [])
    }
}
