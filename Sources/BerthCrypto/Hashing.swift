import BerthCore

/// One-shot content hashing.
public enum Hashing {
    /// The digest of `bytes` with `algorithm`.
    public static func digest(of bytes: [UInt8], algorithm: Digest.Algorithm = .sha256) -> Digest {
        var hasher = ContentHasher(algorithm: algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the raw buffer `bytes` with `algorithm`.
    public static func digest(of bytes: UnsafeRawBufferPointer, algorithm: Digest.Algorithm = .sha256) -> Digest {
        var hasher = ContentHasher(algorithm: algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }
}
