import BerthCrypto

/// Seals OIDC CLI secrets with a server key so that the profile can show them again (as Harbor does)
/// while the database alone reveals nothing.
///
/// Construction (encrypt-then-MAC, from HMAC-SHA256 only, which BerthCrypto already has):
/// `encKey = HMAC(serverKey, "berth cli-secret enc v1")`, `macKey = HMAC(serverKey, "berth cli-secret mac v1")`,
/// a fresh 16-byte nonce, keystream block *i* = `HMAC(encKey, nonce || i as 4 bytes big-endian)` XORed with
/// the secret, tag = `HMAC(macKey, "v1" || nonce || ciphertext)`. HMAC-SHA256 is a PRF, so this is PRF
/// counter mode with a MAC over everything. Stored text: `v1.` + base64url(nonce || ciphertext || tag).
public struct CLISecretCipher: Sendable {
    private let encryptionKey: [UInt8]
    private let macKey: [UInt8]
    static let version = "v1"

    /// A cipher under `serverKey` (at least 32 random bytes, kept outside the database).
    public init(serverKey: [UInt8]) {
        precondition(serverKey.count >= 32, "the CLI secret key needs at least 32 bytes")
        encryptionKey = HMAC.sha256(key: serverKey, message: "berth cli-secret enc v1")
        macKey = HMAC.sha256(key: serverKey, message: "berth cli-secret mac v1")
    }

    /// Encrypts `secret` with a fresh nonce.
    public func seal(_ secret: String) -> String {
        let nonce = SecureRandom.bytes(16)
        let ciphertext = xor(Array(secret.utf8), nonce: nonce)
        let tag = HMAC.sha256(key: macKey, message: Array(Self.version.utf8) + nonce + ciphertext)
        return Self.version + "." + JWKBase64URL.encode(nonce + ciphertext + tag)
    }

    /// Decrypts a sealed secret; nil when it was not sealed under this key or was altered.
    public func open(_ sealed: String) -> String? {
        guard sealed.hasPrefix(Self.version + "."),
              let bytes = JWKBase64URL.decode(sealed.dropFirst(Self.version.count + 1)), bytes.count >= 48 else {
            return nil
        }
        let nonce = Array(bytes[0..<16])
        let ciphertext = Array(bytes[16..<(bytes.count - 32)])
        let tag = Array(bytes[(bytes.count - 32)...])
        let expected = HMAC.sha256(key: macKey, message: Array(Self.version.utf8) + nonce + ciphertext)
        guard ConstantTime.equals(tag, expected) else { return nil }
        return String(validating: xor(ciphertext, nonce: nonce), as: UTF8.self)
    }

    /// True when `presented` is the secret sealed in `sealed` (constant-time comparison).
    public func matches(_ presented: String, sealed: String) -> Bool {
        guard let secret = open(sealed) else { return false }
        return ConstantTime.equals(secret, presented)
    }

    private func xor(_ input: [UInt8], nonce: [UInt8]) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        var counter: UInt32 = 0
        while output.count < input.count {
            let counterBytes = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
            let block = HMAC.sha256(key: encryptionKey, message: nonce + counterBytes)
            for byte in block where output.count < input.count {
                output.append(input[output.count] ^ byte)
            }
            counter += 1
        }
        return output
    }
}
