import BerthCrypto
import HTTPServer

/// Parsing of the credential-bearing parts of a request: `Authorization` (Basic, Bearer), cookies and
/// `application/x-www-form-urlencoded` bodies.
public enum AuthHeaders {
    /// The name and secret of `Authorization: Basic …`, split at the first colon.
    public static func basic(_ request: HTTPRequest) -> (name: String, secret: String)? {
        guard let value = request.headers["Authorization"], value.count > 6,
              value.prefix(6).lowercased() == "basic ", let bytes = Base64.decode(String(value.dropFirst(6)).trimmingSpaces) else {
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The token of `Authorization: Bearer …`.
    public static func bearer(_ request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"], value.count > 7, value.prefix(7).lowercased() == "bearer "
        else { return nil }
        return String(value.dropFirst(7)).trimmingSpaces
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
