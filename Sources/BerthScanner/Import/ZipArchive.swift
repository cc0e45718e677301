/// A minimal reader of zip archives: central directory, stored and deflated entries, with
/// bounds on entry count and sizes. Zip64 and encryption are rejected.
public final class ZipArchive {
    /// One file in the archive.
    public struct Entry: Sendable {
        public let name: String
        public let method: UInt16
        public let compressedSize: Int
        public let uncompressedSize: Int
        public let crc32: UInt32
        let localHeaderOffset: Int
        let flags: UInt16
    }

    /// Limits applied while reading.
    public struct Limits: Sendable {
        public var maxEntries = 2_000_000
        public var maxEntrySize = 64 << 20
        public var maxNameLength = 4_096
        public init() {}
    }

    private let file: InputFile
    public let entries: [Entry]
    let limits: Limits

    /// Opens an archive and reads its central directory.
    public init(path: String, limits: Limits = Limits()) throws {
        file = try InputFile(path: path)
        self.limits = limits
        entries = try Self.readDirectory(file, limits)
    }

    private static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    private static func readDirectory(_ file: InputFile, _ limits: Limits) throws -> [Entry] {
        let bad = { (why: String) in ImportError.malformed(file.path, why) }
        let tailSize = min(file.size, 22 + 65_535)
        let tail = try file.read(at: file.size - tailSize, count: tailSize)
        guard tail.count >= 22 else { throw bad("too short for a zip archive") }
        var eocd = -1
        var k = tail.count - 22
        while k >= 0 {
            if tail[k] == 0x50 && tail[k + 1] == 0x4B && tail[k + 2] == 5 && tail[k + 3] == 6 { eocd = k; break }
            k -= 1
        }
        guard eocd >= 0 else { throw bad("no end-of-central-directory record") }
        let count = Int(u16(tail, eocd + 10))
        let dirSize = Int(u32(tail, eocd + 12))
        let dirOffset = Int(u32(tail, eocd + 16))
        guard count != 0xFFFF, dirOffset != 0xFFFF_FFFF else { throw bad("zip64 archives are not supported") }
        guard count <= limits.maxEntries else { throw ImportError.tooLarge(file.path + " (entry count)", limit: limits.maxEntries) }
        guard dirOffset + dirSize <= file.size else { throw bad("central directory outside the file") }
        let dir = try file.read(at: dirOffset, count: dirSize)
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= dir.count, u32(dir, p) == 0x0201_4B50 else { throw bad("corrupt central directory") }
            let nameLen = Int(u16(dir, p + 28)), extraLen = Int(u16(dir, p + 30)), commentLen = Int(u16(dir, p + 32))
            guard nameLen <= limits.maxNameLength, p + 46 + nameLen <= dir.count else { throw bad("entry name too long") }
            let name = String(decoding: dir[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
            entries.append(Entry(name: name, method: u16(dir, p + 10), compressedSize: Int(u32(dir, p + 20)),
                                 uncompressedSize: Int(u32(dir, p + 24)), crc32: u32(dir, p + 16),
                                 localHeaderOffset: Int(u32(dir, p + 42)), flags: u16(dir, p + 8)))
            p += 46 + nameLen + extraLen + commentLen
        }
        return entries
    }

    /// The uncompressed bytes of an entry, checked against its declared size and CRC-32.
    public func contents(of entry: Entry) throws -> [UInt8] {
        let bad = { (why: String) in ImportError.malformed("\(self.file.path)!\(entry.name)", why) }
        guard entry.flags & 1 == 0 else { throw bad("encrypted entries are not supported") }
        guard entry.uncompressedSize <= limits.maxEntrySize, entry.compressedSize <= limits.maxEntrySize else {
            throw ImportError.tooLarge("\(file.path)!\(entry.name)", limit: limits.maxEntrySize)
        }
        let header = try file.read(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, Self.u32(header, 0) == 0x0403_4B50 else { throw bad("bad local header") }
        let dataOffset = entry.localHeaderOffset + 30 + Int(Self.u16(header, 26)) + Int(Self.u16(header, 28))
        guard dataOffset + entry.compressedSize <= file.size else { throw bad("entry data outside the file") }
        let raw = try file.read(at: dataOffset, count: entry.compressedSize)
        let data: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw bad("stored entry with differing sizes") }
            data = raw
        case 8:
            data = try RawInflater.inflate(raw, expectedSize: entry.uncompressedSize, limit: limits.maxEntrySize)
        default:
            throw bad("compression method \(entry.method) is not supported")
        }
        guard CRC32.checksum(data) == entry.crc32 else { throw bad("CRC-32 mismatch") }
        return data
    }
}
