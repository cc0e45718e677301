/// A package URL (`pkg:type/namespace/name@version?qualifiers`), rendered per the purl specification:
/// each namespace segment, the name and the version are percent-encoded (the colon stays as it is),
/// qualifiers are sorted by key and empty ones dropped.
public struct PackageURL: Sendable, Hashable, CustomStringConvertible {
    /// The package type: `deb`, `apk`, `rpm`, `pypi`, `npm`, `golang`, `cargo`, `maven`, `gem`, `composer`, …
    public var type: String
    /// Segments before the name (the distribution, a Maven group, an npm scope, a Go module path), if any.
    public var namespace: [String]
    public var name: String
    public var version: String?
    /// Key-value qualifiers (`arch`, `distro`, `epoch`, …).
    public var qualifiers: [String: String]

    public init(type: String, namespace: [String] = [], name: String, version: String?, qualifiers: [String: String] = [:]) {
        self.type = type
        self.namespace = namespace
        self.name = name
        self.version = version
        self.qualifiers = qualifiers
    }

    public var description: String {
        var out = "pkg:" + type.lowercased() + "/"
        for segment in namespace where !segment.isEmpty { out += Self.encode(segment) + "/" }
        out += Self.encode(name)
        if let version, !version.isEmpty { out += "@" + Self.encode(version) }
        let pairs = qualifiers.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        if !pairs.isEmpty {
            out += "?" + pairs.map { $0.key.lowercased() + "=" + Self.encode($0.value, keepingSlash: true) }
                .joined(separator: "&")
        }
        return out
    }

    /// Percent-encodes everything but ASCII letters, digits, `.`, `-`, `_`, `~` and `:` (so `+`
    /// becomes `%2B`, `@` `%40`, `/` `%2F` unless `keepingSlash`, as in qualifier values), byte by byte over UTF-8.
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: ":"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
