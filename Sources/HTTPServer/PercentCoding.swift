/// Percent-decoding of URI components (`+` is left alone; invalid escapes are kept literally).
enum PercentCoding {
    /// Decodes `%XX` escapes in `bytes`.
    static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex {
                    let second = bytes.index(after: first)
                    if second != bytes.endIndex, let high = hex(bytes[first]), let low = hex(bytes[second]) {
                        out.append(high << 4 | low)
                        index = bytes.index(after: second)
                        continue
                    }
                }
            }
            out.append(byte)
            index = bytes.index(after: index)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a string.
    static func decode(_ text: some StringProtocol) -> String { decode(text.utf8) }

    /// The value of a hexadecimal digit.
    @inline(__always) static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
