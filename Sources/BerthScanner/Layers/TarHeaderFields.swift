/// Field decoding for 512-byte tar header blocks (ustar, GNU and pax records).
enum TarHeaderFields {
    /// A NUL-terminated string field.
    static func string(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> String {
        var end = offset
        while end < offset + length && block[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: block[offset..<end]), as: UTF8.self)
    }

    /// A numeric field: octal text (space or NUL padded) or GNU base-256 (high bit set).
    static func number(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) throws -> Int {
        if block[offset] & 0x80 != 0 {
            guard block[offset] == 0x80 else { throw LayerError.malformedTar("negative or huge base-256 number") }
            var value = 0
            for k in (offset + 1)..<(offset + length) {
                guard value < (1 << 54) else { throw LayerError.malformedTar("base-256 number too large") }
                value = value << 8 | Int(block[k])
            }
            return value
        }
        var value = 0
        var k = offset
        while k < offset + length && (block[k] == 0x20 || block[k] == 0) { k += 1 }
        while k < offset + length, block[k] >= 0x30, block[k] <= 0x37 {
            guard value < (1 << 60) else { throw LayerError.malformedTar("octal number too large") }
            value = value * 8 + Int(block[k] - 0x30)
            k += 1
        }
        while k < offset + length {
            guard block[k] == 0x20 || block[k] == 0 else { throw LayerError.malformedTar("invalid octal field") }
            k += 1
        }
        return value
    }

    /// Whether the header checksum (sum of bytes, checksum field as spaces) matches.
    static func checksumMatches(_ block: UnsafeRawBufferPointer) -> Bool {
        guard let stored = try? number(block, 148, 8) else { return false }
        // All bytes, then the checksum field counted as eight spaces.
        var sum = 0
        for k in 0..<512 { sum &+= Int(block[k]) }
        for k in 148..<156 { sum -= Int(block[k]) }
        return sum + 8 * 0x20 == stored
    }

    /// Parses pax extended header records (`"<len> key=value\n"`) into a dictionary.
    static func paxRecords(_ data: [UInt8]) throws -> [String: String] {
        var out: [String: String] = [:]
        var p = 0
        while p < data.count {
            var length = 0
            var q = p
            while q < data.count, data[q] >= 0x30, data[q] <= 0x39, length < 1 << 30 {
                length = length * 10 + Int(data[q] - 0x30); q += 1
            }
            guard q < data.count, data[q] == 0x20, length > q - p + 1, p + length <= data.count,
                  data[p + length - 1] == 0x0A else {
                if data[p...].allSatisfy({ $0 == 0 }) { break }
                throw LayerError.malformedTar("bad pax record")
            }
            let record = data[(q + 1)..<(p + length - 1)]
            guard let eq = record.firstIndex(of: UInt8(ascii: "=")) else { throw LayerError.malformedTar("pax record without '='") }
            out[String(decoding: record[record.startIndex..<eq], as: UTF8.self)] =
                String(decoding: record[(eq + 1)...], as: UTF8.self)
            p += length
        }
        return out
    }
}
