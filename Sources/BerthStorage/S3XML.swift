import Glibc

/// Just enough XML for S3 responses: text of named elements, no namespaces or attributes needed.
enum S3XML {
    /// Text of every `<name>…</name>` element in order, entities decoded.
    static func values(_ name: String, in xml: String) -> [String] {
        blocks(name, in: xml).map(decode)
    }

    /// Text of the first `<name>` element.
    static func value(_ name: String, in xml: String) -> String? { values(name, in: xml).first }

    /// Raw inner text of every `<name>…</name>` element.
    static func blocks(_ name: String, in xml: String) -> [String] {
        var out: [String] = []
        var rest = Substring(xml)
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.firstRange(of: open) {
            guard let end = rest[start.upperBound...].firstRange(of: close) else { break }
            out.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences("&lt;", "<").replacingOccurrences("&gt;", ">")
            .replacingOccurrences("&quot;", "\"").replacingOccurrences("&apos;", "'")
            .replacingOccurrences("&#34;", "\"").replacingOccurrences("&amp;", "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences("&", "&amp;").replacingOccurrences("<", "&lt;")
            .replacingOccurrences(">", "&gt;").replacingOccurrences("\"", "&quot;")
    }

    /// Unix seconds of an ISO 8601 UTC time such as `2026-01-02T03:04:05.000Z`; nil when malformed.
    static func unixTime(_ text: String) -> Int64? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) }
        guard digits.count >= 6 else { return nil }
        var parts = tm()
        parts.tm_year = digits[0] - 1900
        parts.tm_mon = digits[1] - 1
        parts.tm_mday = digits[2]
        parts.tm_hour = digits[3]
        parts.tm_min = digits[4]
        parts.tm_sec = digits[5]
        return Int64(timegm(&parts))
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement`.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
