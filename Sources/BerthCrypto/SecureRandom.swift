internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes. Traps if the CSPRNG fails, since continuing with weak randomness is unsafe.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let status = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(status == 1, "RAND_bytes failed")
        return out
    }

    /// A random token of `bytes` random bytes, hex encoded (twice as many characters).
    public static func hexToken(bytes count: Int) -> String {
        Hex.encode(bytes(count))
    }
}
