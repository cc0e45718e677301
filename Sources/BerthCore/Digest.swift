/// A content digest such as `sha256:<64 hex>` or `sha512:<128 hex>`.
///
/// Only the algorithms Berth can verify are accepted; the encoded part must be lowercase hex of the
/// algorithm's exact length, so that two spellings of one digest can never exist.
public struct Digest: Hashable, Sendable, CustomStringConvertible, Comparable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha256, sha512
        /// Length of the hex encoding.
        public var hexLength: Int { self == .sha256 ? 64 : 128 }
    }

    public let algorithm: Algorithm
    /// Lowercase hex encoding of the hash.
    public let hex: String

    public init(algorithm: Algorithm, hex: String) throws(DigestError) {
        guard hex.utf8.count == algorithm.hexLength,
              hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw DigestError.invalid("\(algorithm.rawValue):\(hex)")
        }
        self.algorithm = algorithm
        self.hex = hex
    }

    /// Parses `algorithm:hex`.
    public init(parsing text: some StringProtocol) throws(DigestError) {
        guard let colon = text.firstIndex(of: ":") else { throw DigestError.invalid(String(text)) }
        let algorithmText = text[text.startIndex..<colon]
        guard let algorithm = Algorithm(rawValue: String(algorithmText)) else {
            throw DigestError.unsupported(String(algorithmText))
        }
        try self.init(algorithm: algorithm, hex: String(text[text.index(after: colon)...]))
    }

    /// Returns nil instead of throwing.
    public static func parse(_ text: some StringProtocol) -> Digest? { try? Digest(parsing: text) }

    public var description: String { "\(algorithm.rawValue):\(hex)" }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }
}

public enum DigestError: Error, Equatable, Sendable {
    case invalid(String)
    case unsupported(String)
}
