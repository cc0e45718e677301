/// A parsed JSON document, produced by `JSONParser` under size and depth limits.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// Numbers keep their literal text (advisory data uses them rarely, and only as labels).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The string value, or the literal text of a number.
    public var string: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }

    /// The elements of an array, or empty.
    public var array: [JSONValue] {
        if case .array(let a) = self { return a }
        return []
    }

    /// The members of an object, or empty.
    public var object: [String: JSONValue] {
        if case .object(let o) = self { return o }
        return [:]
    }

    /// The strings of an array of strings (non-strings skipped).
    public var strings: [String] { array.compactMap(\.string) }
}

/// Why a JSON document was rejected.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A small strict JSON parser over bytes, with limits on input size and nesting depth.
public struct JSONParser {
    /// Largest accepted document, in bytes.
    public var maxBytes: Int
    /// Deepest accepted nesting of arrays and objects.
    public var maxDepth: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// Parses one complete JSON value (surrounding whitespace allowed).
    public func parse<C: Collection>(_ bytes: C) throws -> JSONValue where C.Element == UInt8 {
        guard bytes.count <= maxBytes else {
            throw JSONParseError(offset: 0, reason: "document larger than \(maxBytes) bytes")
        }
        let buffer = Array(bytes)
        return try buffer.withUnsafeBufferPointer { raw in
            var cursor = JSONCursor(bytes: raw, maxDepth: maxDepth)
            cursor.skipSpace()
            let value = try cursor.value(depth: 0)
            cursor.skipSpace()
            guard cursor.pos == raw.count else { throw cursor.error("trailing characters") }
            return value
        }
    }

    /// Parses a string of JSON text.
    public func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }
}
