/// Builds search filters (RFC 4515) with user input escaped, so a name like `*)(uid=*` matches itself only.
public enum LDAPFilter {
    /// `value` with `*`, `(`, `)`, `\` and NUL written as `\2a`, `\28`, `\29`, `\5c` and `\00`.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "*": out += "\\2a"
            case "(": out += "\\28"
            case ")": out += "\\29"
            case "\\": out += "\\5c"
            case "\u{0}": out += "\\00"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `name` can be an attribute name (letters, digits, `-`, or a dotted OID): it is written into
    /// filters unescaped, so it must never carry filter syntax.
    public static func isAttributeName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 64 else { return false }
        if first.properties.isASCIIHexDigit && ("0"..."9").contains(first) {
            return name.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "." }
        }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
