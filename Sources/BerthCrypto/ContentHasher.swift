internal import COpenSSL
import BerthCore

/// Streaming SHA-256 / SHA-512 whose state can be exported and restored, so that an upload's hashing
/// resumes after a restart (or on another node of the same architecture) without re-reading any byte.
///
/// It is a value type: copying a hasher clones its state, which lets a caller finalize a copy (to check a
/// digest) and keep hashing the original. The context is OpenSSL's plain `SHA256_CTX`/`SHA512_CTX`,
/// kept in 8-byte aligned storage owned by this value.
public struct ContentHasher: Sendable {
    /// The algorithm this hasher computes.
    public let algorithm: Digest.Algorithm
    /// Raw bytes of the OpenSSL context; `[UInt64]` guarantees the alignment the C struct needs.
    private var context: [UInt64]

    /// Format version of `exportState()`; bump when the layout changes.
    static let stateVersion: UInt8 = 1

    /// Starts an empty hash.
    public init(algorithm: Digest.Algorithm) {
        self.algorithm = algorithm
        context = [UInt64](repeating: 0, count: (Self.contextSize(algorithm) + 7) / 8)
        context.withUnsafeMutableBytes { raw in
            switch algorithm {
            case .sha256: _ = berth_sha256_init(raw.baseAddress)
            case .sha512: _ = berth_sha512_init(raw.baseAddress)
            }
        }
    }

    /// Restores a hasher from `exportState()` output. Returns nil when the bytes are not a valid state
    /// for `algorithm` (wrong version, algorithm, length, or inconsistent buffered count).
    public init?(algorithm: Digest.Algorithm, state: [UInt8]) {
        let size = Self.contextSize(algorithm)
        guard state.count == 2 + size, state[0] == Self.stateVersion, state[1] == Self.algorithmTag(algorithm) else {
            return nil
        }
        var words = [UInt64](repeating: 0, count: (size + 7) / 8)
        words.withUnsafeMutableBytes { raw in
            state.withUnsafeBytes { source in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[2...]))
            }
        }
        let valid = words.withUnsafeBytes { raw in
            switch algorithm {
            case .sha256: return berth_sha256_valid(raw.baseAddress) == 1
            case .sha512: return berth_sha512_valid(raw.baseAddress) == 1
            }
        }
        guard valid else { return nil }
        self.algorithm = algorithm
        context = words
    }

    /// Hashes `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let algorithm = self.algorithm
        context.withUnsafeMutableBytes { raw in
            switch algorithm {
            case .sha256: _ = berth_sha256_update(raw.baseAddress, base, bytes.count)
            case .sha512: _ = berth_sha512_update(raw.baseAddress, base, bytes.count)
            }
        }
    }

    /// Hashes `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes the hash and returns the digest.
    public consuming func finalize() -> Digest {
        let algorithm = self.algorithm
        var output = [UInt8](repeating: 0, count: algorithm == .sha256 ? 32 : 64)
        context.withUnsafeMutableBytes { raw in
            output.withUnsafeMutableBufferPointer { out in
                switch algorithm {
                case .sha256: _ = berth_sha256_final(raw.baseAddress, out.baseAddress)
                case .sha512: _ = berth_sha512_final(raw.baseAddress, out.baseAddress)
                }
            }
        }
        // The hex of a fixed-length hash always has the algorithm's exact length and lowercase digits.
        return try! Digest(algorithm: algorithm, hex: Hex.encode(output))
    }

    /// Serialisable state: a version byte, an algorithm byte and the raw context bytes.
    public func exportState() -> [UInt8] {
        let size = Self.contextSize(algorithm)
        var out: [UInt8] = [Self.stateVersion, Self.algorithmTag(algorithm)]
        out.reserveCapacity(2 + size)
        context.withUnsafeBytes { raw in out.append(contentsOf: raw[0..<size]) }
        return out
    }

    private static func contextSize(_ algorithm: Digest.Algorithm) -> Int {
        switch algorithm {
        case .sha256: return Int(berth_sha256_ctx_size())
        case .sha512: return Int(berth_sha512_ctx_size())
        }
    }

    private static func algorithmTag(_ algorithm: Digest.Algorithm) -> UInt8 {
        algorithm == .sha256 ? 1 : 2
    }
}
