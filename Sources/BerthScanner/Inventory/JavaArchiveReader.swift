/// Reads Maven coordinates from a Java archive held in memory: every
/// `META-INF/maven/**/pom.properties`, or failing that `META-INF/MANIFEST.MF`, and the same for
/// archives nested one level deep (`WEB-INF/lib/*.jar`, `BOOT-INF/lib/*.jar`).
enum JavaArchiveReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Maven packages found in `bytes` (a zip archive), tagged `Maven`.
    static func packages(in bytes: [UInt8], path: String, limits: LayerLimits, depth: Int = 0) throws -> [InstalledPackage] {
        let entries = try directory(bytes)
        var out: [InstalledPackage] = []
        for entry in entries where entry.name.hasPrefix("META-INF/maven/") && entry.name.hasSuffix("/pom.properties") {
            let props = properties(try contents(bytes, entry, limit: limits.maxMetadataFileSize))
            if let g = props["groupId"], let a = props["artifactId"], let v = props["version"], !g.isEmpty, !a.isEmpty, !v.isEmpty {
                out.append(InstalledPackage(ecosystem: "Maven", name: g + ":" + a, version: v, kind: .language))
            }
        }
        if out.isEmpty, let manifest = entries.first(where: { $0.name == "META-INF/MANIFEST.MF" }) {
            let m = properties(try contents(bytes, manifest, limit: limits.maxMetadataFileSize), separator: ":")
            let group = m["Implementation-Vendor-Id"] ?? m["Bundle-SymbolicName"].flatMap { s -> String? in
                let base = s.split(separator: ";").first.map(String.init) ?? s
                guard let dot = base.lastIndex(of: ".") else { return nil }
                return String(base[base.startIndex..<dot])
            }
            let artifact = m["Implementation-Title"] ?? m["Bundle-SymbolicName"].flatMap { s in
                s.split(separator: ";").first.flatMap { $0.split(separator: ".").last.map(String.init) }
            }
            if let g = group, let a = artifact, let v = m["Implementation-Version"] ?? m["Bundle-Version"], !a.contains(" ") {
                out.append(InstalledPackage(ecosystem: "Maven", name: g + ":" + a, version: v, kind: .language))
            }
        }
        if depth == 0 {
            // Nested archives are inflated one at a time, within a total budget per outer archive.
            var budget = 4 * limits.maxArchiveSize
            for entry in entries where entry.name.hasSuffix(".jar") && entry.uncompressedSize <= limits.maxArchiveSize {
                budget -= entry.uncompressedSize
                guard budget >= 0 else { break }
                guard let inner = try? contents(bytes, entry, limit: limits.maxArchiveSize) else { continue }
                out += (try? packages(in: inner, path: path + "!" + entry.name, limits: limits, depth: 1)) ?? []
            }
        }
        return out
    }

    /// `key=value` (or `key: value`) lines.
    static func properties(_ bytes: [UInt8], separator: Character = "=") -> [String: String] {
        var out: [String: String] = [:]
        for raw in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard !line.hasPrefix("#"), let sep = line.firstIndex(of: separator) else { continue }
            let key = line[line.startIndex..<sep].trimmingCharacters(in: " \t")
            let value = line[line.index(after: sep)...].trimmingCharacters(in: " \t")
            if out[key] == nil { out[key] = value }
        }
        return out
    }

    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var crc: UInt32
        var localOffset: Int
    }

    private static func u16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ o: Int) -> Int { u16(b, o) | u16(b, o + 2) << 16 }

    static func directory(_ b: [UInt8]) throws -> [Entry] {
        guard b.count >= 22 else { throw Malformed(description: "too short for a zip archive") }
        var k = b.count - 22
        let stop = max(0, b.count - 22 - 65_535)
        while k >= stop, !(b[k] == 0x50 && b[k + 1] == 0x4B && b[k + 2] == 5 && b[k + 3] == 6) { k -= 1 }
        guard k >= stop else { throw Malformed(description: "no end of central directory") }
        let count = u16(b, k + 10), size = u32(b, k + 12), start = u32(b, k + 16)
        guard start + size <= b.count else { throw Malformed(description: "central directory outside the archive") }
        var entries: [Entry] = []
        var p = start
        for _ in 0..<count {
            guard p + 46 <= b.count, u32(b, p) == 0x0201_4B50 else { throw Malformed(description: "corrupt central directory") }
            let nameLength = u16(b, p + 28)
            guard p + 46 + nameLength <= b.count else { throw Malformed(description: "entry name outside the archive") }
            entries.append(Entry(name: String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                                 method: UInt16(u16(b, p + 10)), flags: UInt16(u16(b, p + 8)),
                                 compressedSize: u32(b, p + 20), uncompressedSize: u32(b, p + 24),
                                 crc: UInt32(u32(b, p + 16)), localOffset: u32(b, p + 42)))
            p += 46 + nameLength + u16(b, p + 30) + u16(b, p + 32)
        }
        return entries
    }

    static func contents(_ b: [UInt8], _ e: Entry, limit: Int) throws -> [UInt8] {
        guard e.uncompressedSize <= limit, e.flags & 1 == 0 else { throw Malformed(description: "\(e.name): too large or encrypted") }
        guard e.localOffset + 30 <= b.count, u32(b, e.localOffset) == 0x0403_4B50 else {
            throw Malformed(description: "\(e.name): bad local header")
        }
        let start = e.localOffset + 30 + u16(b, e.localOffset + 26) + u16(b, e.localOffset + 28)
        guard start + e.compressedSize <= b.count else { throw Malformed(description: "\(e.name): data outside the archive") }
        let raw = Array(b[start..<(start + e.compressedSize)])
        let data: [UInt8]
        switch e.method {
        case 0: data = raw
        case 8: data = try RawInflater.inflate(raw, expectedSize: e.uncompressedSize, limit: limit)
        default: throw Malformed(description: "\(e.name): compression method \(e.method)")
        }
        guard CRC32.checksum(data) == e.crc else { throw Malformed(description: "\(e.name): CRC mismatch") }
        return data
    }
}
