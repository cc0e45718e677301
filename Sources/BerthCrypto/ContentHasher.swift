import BerthCore

// CONTRACT (to be implemented by the crypto/storage owner; signatures are fixed):
//
// public struct ContentHasher: ~Copyable / or final class, Sendable as documented
//   public init(algorithm: Digest.Algorithm)
//   public mutating func update(_ bytes: UnsafeRawBufferPointer)
//   public mutating func update(_ bytes: [UInt8])
//   public consuming func finalize() -> Digest
//   /// Serialisable state, so that an upload's hashing can resume after a restart.
//   public func exportState() -> [UInt8]
//   public init?(algorithm: Digest.Algorithm, state: [UInt8])
//
// public enum Hashing {
//   public static func digest(of bytes: [UInt8], algorithm: Digest.Algorithm = .sha256) -> Digest
// }
// public enum SecureRandom { public static func bytes(_ count: Int) -> [UInt8]; public static func hexToken(bytes: Int) -> String }
// public enum ConstantTime { public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool }
