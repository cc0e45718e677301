import BerthCrypto

/// The persisted part of an upload session: how many bytes are acknowledged and the SHA-256 state
/// over exactly those bytes. Stored in `uploads/<id>/state`, replaced atomically after every append.
struct UploadState: Sendable {
    /// Acknowledged size of `data`.
    var size: Int64
    /// Hash of the first `size` bytes of `data`.
    var hasher: ContentHasher

    private static let magic: [UInt8] = Array("BUS1".utf8)

    /// A fresh, empty session.
    static let empty = UploadState(size: 0, hasher: ContentHasher(algorithm: .sha256))

    init(size: Int64, hasher: ContentHasher) {
        self.size = size
        self.hasher = hasher
    }

    /// Decodes `encoded()`; nil when the bytes are malformed.
    init?(decoding bytes: [UInt8]) {
        guard bytes.count > 12, Array(bytes[0..<4]) == Self.magic else { return nil }
        var size: UInt64 = 0
        for index in 0..<8 { size |= UInt64(bytes[4 + index]) << (8 * UInt64(index)) }
        guard size <= UInt64(Int64.max),
              let hasher = ContentHasher(algorithm: .sha256, state: Array(bytes[12...])) else { return nil }
        self.size = Int64(size)
        self.hasher = hasher
    }

    /// Magic, little-endian size, exported hasher state.
    func encoded() -> [UInt8] {
        var out = Self.magic
        let value = UInt64(size)
        for index in 0..<8 { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
        out.append(contentsOf: hasher.exportState())
        return out
    }
}
