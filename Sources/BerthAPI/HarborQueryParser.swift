import BerthMetadata

/// Parses Harbor's list parameters: `q=` filters and `sort=` keys.
///
/// `q` is a comma-separated list of terms `k=v` (equal), `k=~v` (fuzzy), `k=[a~b]` (range, either side
/// may be empty) and `k={a b c}` (any of). Each value is URL-decoded once more (`+` is a space), as
/// Harbor's clients often encode the whole expression. Commas inside `[…]` and `{…}` do not split.
public enum HarborQueryParser {
    /// The longest `q` accepted.
    public static let maxLength = 4_096

    /// The terms of a `q` expression; throws BAD_REQUEST for malformed input.
    public static func parseQuery(_ text: String?) throws(HarborError) -> [ListingTerm] {
        guard let text, !text.isEmpty else { return [] }
        guard text.utf8.count <= maxLength else { throw .badRequest("query is too long") }
        var terms: [ListingTerm] = []
        for part in split(text) where !part.allSatisfy(\.isWhitespace) {
            terms.append(try parseTerm(part))
        }
        return terms
    }

    /// Sort keys from `sort=name,-creation_time`.
    public static func parseSort(_ text: String?) throws(HarborError) -> [ListingSort] {
        guard let text, !text.isEmpty else { return [] }
        var keys: [ListingSort] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingSpaces()
            let descending = item.hasPrefix("-")
            let key = descending ? String(item.dropFirst()) : item
            guard !key.isEmpty, key.utf8.allSatisfy(isKeyByte) else { throw .badRequest("invalid sort key \(item)") }
            keys.append(ListingSort(key: key, descending: descending))
        }
        guard keys.count <= 5 else { throw .badRequest("too many sort keys") }
        return keys
    }

    private static func parseTerm(_ part: Substring) throws(HarborError) -> ListingTerm {
        guard let equals = part.firstIndex(of: "=") else { throw .badRequest("invalid query term \(part)") }
        let key = String(part[..<equals]).trimmingSpaces()
        guard !key.isEmpty, key.utf8.allSatisfy(isKeyByte) else { throw .badRequest("invalid query key \(key)") }
        let raw = String(part[part.index(after: equals)...]).trimmingSpaces()
        if raw.hasPrefix("~") {
            return ListingTerm(key: key, condition: .fuzzy(decode(raw.dropFirst())))
        }
        if raw.hasPrefix("[") {
            guard raw.hasSuffix("]"), raw.count >= 2 else { throw .badRequest("invalid range for \(key)") }
            let inner = raw.dropFirst().dropLast()
            let bounds = inner.split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false)
            guard bounds.count == 2 else { throw .badRequest("a range needs min~max for \(key)") }
            let low = decode(bounds[0]).trimmingSpaces(), high = decode(bounds[1]).trimmingSpaces()
            guard !low.isEmpty || !high.isEmpty else { throw .badRequest("empty range for \(key)") }
            return ListingTerm(key: key, condition: .range(low.isEmpty ? nil : low, high.isEmpty ? nil : high))
        }
        if raw.hasPrefix("{") {
            guard raw.hasSuffix("}"), raw.count >= 2 else { throw .badRequest("invalid list for \(key)") }
            let values = decode(raw.dropFirst().dropLast()).split(separator: " ").map(String.init)
            guard !values.isEmpty else { throw .badRequest("empty list for \(key)") }
            return ListingTerm(key: key, condition: .anyOf(values))
        }
        return ListingTerm(key: key, condition: .equals(decode(raw)))
    }

    /// Splits on commas outside brackets and braces.
    static func split(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "[", "{": depth += 1
            case "]", "}": depth = max(0, depth - 1)
            case "," where depth == 0:
                parts.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }

    /// Percent-decodes and turns `+` into a space.
    static func decode(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }

    private static func isKeyByte(_ c: UInt8) -> Bool {
        (97...122).contains(c) || (65...90).contains(c) || (48...57).contains(c) || c == UInt8(ascii: "_")
            || c == UInt8(ascii: ".")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
