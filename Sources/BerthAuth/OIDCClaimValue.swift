import FoundationEssentials

/// One JSON value from an ID token's claims, kept as it came so that any configured claim
/// (username, groups) can be read whatever its type.
public enum OIDCClaimValue: Sendable, Equatable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([OIDCClaimValue])
    case object([String: OIDCClaimValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([OIDCClaimValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: OIDCClaimValue].self))
        }
    }

    /// The value as text: a string, or a whole number written without a fraction.
    public var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value) where value == value.rounded() && abs(value) < 1e15: return String(Int64(value))
        default: return nil
        }
    }

    /// The value as a number (NumericDate claims such as `exp`).
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// A list of strings: an array's string members, or a single string as a one-element list
    /// (providers send `groups` and `aud` either way).
    public var strings: [String] {
        switch self {
        case .string(let value): return [value]
        case .array(let values): return values.compactMap(\.text)
        default: return []
        }
    }
}
