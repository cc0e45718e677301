/// Appends little-endian varints and length-prefixed strings to a byte buffer.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func int(_ value: Int) { varint(UInt64(bitPattern: Int64(value))) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            varint(UInt64(buf.count))
            bytes.append(contentsOf: buf)
        }
    }

    mutating func strings(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }

    mutating func double(_ d: Double) { varint(d.bitPattern) }
}

/// Reads what `BinaryWriter` wrote, failing cleanly on truncated or corrupt input.
struct BinaryReader {
    struct Corrupt: Error {}

    let bytes: [UInt8]
    var pos = 0

    init(_ bytes: [UInt8], at offset: Int = 0) {
        self.bytes = bytes
        pos = offset
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < bytes.count, shift < 64 else { throw Corrupt() }
            let b = bytes[pos]
            pos += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func int() throws -> Int {
        let v = Int64(bitPattern: try varint())
        guard v >= Int64(Int.min), v <= Int64(Int.max) else { throw Corrupt() }
        return Int(v)
    }

    /// A count that must be plausible for the bytes left (each item takes at least one byte).
    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - pos else { throw Corrupt() }
        return n
    }

    mutating func string() throws -> String {
        let n = try count()
        defer { pos += n }
        return String(decoding: bytes[pos..<(pos + n)], as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    mutating func double() throws -> Double { Double(bitPattern: try varint()) }
}
