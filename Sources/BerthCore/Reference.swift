/// What follows `/manifests/`: a tag or a digest.
public enum Reference: Hashable, Sendable, CustomStringConvertible {
    case tag(String)
    case digest(Digest)

    /// Tag grammar: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
    public static func isValidTag(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func word(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
        }
        guard word(first) else { return false }
        return bytes.dropFirst().allSatisfy { word($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Parses a reference; a string with a colon must be a valid digest.
    public init?(_ text: String) {
        if text.contains(":") {
            guard let digest = Digest.parse(text) else { return nil }
            self = .digest(digest)
        } else {
            guard Reference.isValidTag(text) else { return nil }
            self = .tag(text)
        }
    }

    public var description: String {
        switch self {
        case .tag(let tag): return tag
        case .digest(let digest): return digest.description
        }
    }
}
