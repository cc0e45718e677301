import BerthCrypto
import HTTPServer

/// Parsing of the credential-bearing parts of a request: `Authorization` (Basic, Bearer), cookies and
/// `application/x-www-form-urlencoded` bodies.
public enum AuthHeaders {
    /// The name and secret of `Authorization: Basic …`, split at the first colon.
    public static func basic(_ request: HTTPRequest) -> (name: String, secret: String)? {
        guard let value = request.headers["Authorization"], let rest = credentials(value, scheme: "basic "),
              let bytes = Base64.decode(rest), let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            return nil
        }
        return (String(decoding: bytes[..<colon], as: UTF8.self), String(decoding: bytes[(colon + 1)...], as: UTF8.self))
    }

    /// The token of `Authorization: Bearer …`.
    public static func bearer(_ request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"], let rest = credentials(value, scheme: "bearer ") else {
            return nil
        }
        return String(rest)
    }

    /// What follows `scheme` (lowercase, with its space; matched case-insensitively) in `value`, without
    /// surrounding spaces and tabs; nil when `value` uses another scheme or has nothing after it. Works on
    /// the UTF-8 bytes: this runs on every registry request.
    static func credentials(_ value: String, scheme: StaticString) -> Substring? {
        let bytes = value.utf8
        let prefix = UnsafeBufferPointer(start: scheme.utf8Start, count: scheme.utf8CodeUnitCount)
        var index = bytes.startIndex
        for expected in prefix {
            guard index != bytes.endIndex else { return nil }
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            guard byte == expected else { return nil }
            index = bytes.index(after: index)
        }
        guard index != bytes.endIndex else { return nil }
        var end = bytes.endIndex
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        while index != end, isBlank(bytes[index]) { index = bytes.index(after: index) }
        while end != index, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return Substring(value)[index..<end]
    }

    /// The value of cookie `name`.
    public static func cookie(_ request: HTTPRequest, _ name: String) -> String? {
        for header in request.headers.values("Cookie") {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters() == name { return pair[1].trimmingCharacters() }
            }
        }
        return nil
    }

    /// Decodes a urlencoded form (`+` is a space).
    public static func form(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for part in bytes.split(separator: UInt8(ascii: "&")) {
            let pair = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(Array(pair[0]))
            if fields[name] == nil { fields[name] = pair.count > 1 ? decode(Array(pair[1])) : "" }
        }
        return fields
    }

    static func decode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                      let value = Hex.decode(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self)) {
                out += value
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces }
}
