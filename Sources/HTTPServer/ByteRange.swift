/// A single-range `Range: bytes=…` request resolved against a length.
public enum ByteRange: Equatable, Sendable {
    /// Send the whole representation (no, invalid, or multiple ranges).
    case full
    /// Send `length` bytes from `start`.
    case partial(start: Int64, length: Int64)
    /// No byte of the range exists.
    case unsatisfiable

    /// Resolves `header` (the `Range` value) for a representation of `total` bytes.
    public static func resolve(_ header: String, total: Int64) -> ByteRange {
        let utf8 = header.utf8
        guard utf8.count > 6, HTTPHeaders.namesEqual(String(Substring(utf8.prefix(6))), "bytes=") else { return .full }
        let spec = String(Substring(utf8.dropFirst(6))).trimmingSpaces()
        if spec.utf8.contains(UInt8(ascii: ",")) { return .full }
        guard let dash = spec.utf8.firstIndex(of: UInt8(ascii: "-")) else { return .full }
        let first = String(Substring(spec.utf8[..<dash])).trimmingSpaces()
        let last = String(Substring(spec.utf8[spec.utf8.index(after: dash)...])).trimmingSpaces()
        if first.isEmpty {
            guard let suffix = number(last) else { return .full }
            if suffix == 0 || total == 0 { return .unsatisfiable }
            let length = min(suffix, total)
            return .partial(start: total - length, length: length)
        }
        guard let start = number(first) else { return .full }
        if last.isEmpty {
            return start >= total ? .unsatisfiable : .partial(start: start, length: total - start)
        }
        guard let end = number(last), end >= start else { return .full }
        if start >= total { return .unsatisfiable }
        return .partial(start: start, length: min(end, total - 1) - start + 1)
    }

    private static func number(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18,
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(text)
    }
}
