/// Python package version ordering per PEP 440, as the `packaging` library does it.
///
/// Strings that are not PEP 440 versions sort before every valid version, ordered among themselves
/// the way `packaging`'s former `LegacyVersion` did.
public struct PEP440VersionComparator: VersionComparator {
    public init() {}

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        if lhs == rhs { return .equal }
        switch (PEP440Version(lhs), PEP440Version(rhs)) {
        case let (a?, b?): return VersionOrder(sign: a.compare(to: b))
        case (nil, _?): return .less
        case (_?, nil): return .greater
        case (nil, nil):
            return VersionOrder(sign: Self.compareLegacy(Self.legacyKey(lhs), Self.legacyKey(rhs)))
        }
    }

    public func isValid(_ version: String) -> Bool { PEP440Version(version) != nil }

    /// `LegacyVersion`'s key: components padded and tagged so plain string order works.
    static func legacyKey(_ version: String) -> [String] {
        var parts: [String] = []
        for raw in legacyComponents(version.lowercased()) {
            let part: String
            switch raw {
            case "pre", "preview", "rc": part = "c"
            case "-": part = "final-"
            case "dev": part = "@"
            default: part = raw
            }
            if part.isEmpty || part == "." { continue }
            if let f = part.utf8.first, NumericText.isDigit(f) {
                let padded = String(repeating: "0", count: max(0, 8 - part.count)) + part
                parts.append(padded)
                continue
            }
            let tagged = "*" + part
            if tagged < "*final" {
                while parts.last == "*final-" { parts.removeLast() }
            }
            while parts.last == "00000000" { parts.removeLast() }
            parts.append(tagged)
        }
        while parts.last == "00000000" { parts.removeLast() }
        parts.append("*final")
        return parts
    }

    /// Splits like `re.split(r"(\d+|[a-z]+|\.|-)")`, keeping every piece.
    static func legacyComponents(_ s: String) -> [String] {
        var out: [String] = []
        var other = ""
        let bytes = Array(s.utf8)
        var i = 0
        func flush() { out.append(other); other = "" }
        while i < bytes.count {
            let c = bytes[i]
            if NumericText.isDigit(c) || NumericText.isLower(c) {
                let digit = NumericText.isDigit(c)
                var j = i
                while j < bytes.count && (digit ? NumericText.isDigit(bytes[j]) : NumericText.isLower(bytes[j])) { j += 1 }
                flush(); out.append(String(decoding: bytes[i..<j], as: UTF8.self)); i = j
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "-") {
                flush(); out.append(c == UInt8(ascii: ".") ? "." : "-"); i += 1
            } else {
                other.unicodeScalars.append(Unicode.Scalar(c)); i += 1
            }
        }
        flush()
        return out
    }

    static func compareLegacy(_ a: [String], _ b: [String]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
