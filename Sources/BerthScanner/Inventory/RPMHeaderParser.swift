/// Decodes an RPM header blob as rpm stores it in its database (no lead, no magic): big-endian
/// index count and data size, then 16-byte index entries (tag, type, offset, count), then the data.
enum RPMHeaderParser {
    enum Tag: Int32 {
        case name = 1000, version = 1001, release = 1002, epoch = 1003, sourceRPM = 1044
    }

    /// The fields the inventory needs, or nil if the blob is malformed or lacks a name or version.
    struct Header: Equatable {
        var name: String
        var version: String
        var release: String
        var epoch: Int?
        var sourceRPM: String?

        /// `epoch:version-release`, the epoch only when set and non-zero.
        var fullVersion: String {
            let base = release.isEmpty ? version : version + "-" + release
            if let e = epoch, e != 0 { return "\(e):" + base }
            return base
        }

        /// The source package name from `SOURCERPM` (`bash-5.1.8-6.el9.src.rpm` → `bash`).
        var sourceName: String? {
            guard var s = sourceRPM, s.hasSuffix(".rpm") else { return nil }
            s.removeLast(4)
            if let dot = s.lastIndex(of: ".") { s = String(s[s.startIndex..<dot]) }  // arch (src, nosrc)
            for _ in 0..<2 {
                guard let dash = s.lastIndex(of: "-") else { return nil }
                s = String(s[s.startIndex..<dash])
            }
            return s.isEmpty ? nil : s
        }
    }

    static func parse(_ b: [UInt8]) -> Header? {
        func i32(_ o: Int) -> Int32 {
            Int32(bitPattern: UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3]))
        }
        guard b.count >= 8 else { return nil }
        let indexCount = Int(i32(0)), dataSize = Int(i32(4))
        guard indexCount > 0, indexCount < 1 << 16, dataSize >= 0, 8 + indexCount * 16 + dataSize <= b.count else { return nil }
        let dataStart = 8 + indexCount * 16
        var strings: [Int32: String] = [:]
        var epoch: Int?
        for k in 0..<indexCount {
            let e = 8 + k * 16
            let tag = i32(e), type = i32(e + 4), offset = Int(i32(e + 8)), count = Int(i32(e + 12))
            guard offset >= 0, offset < dataSize else { continue }
            switch type {
            case 6, 8, 9:  // STRING, STRING_ARRAY, I18NSTRING: take the first string
                var end = dataStart + offset
                while end < dataStart + dataSize && b[end] != 0 { end += 1 }
                strings[tag] = String(decoding: b[(dataStart + offset)..<end], as: UTF8.self)
            case 4 where tag == Tag.epoch.rawValue && count >= 1 && offset + 4 <= dataSize:
                epoch = Int(i32(dataStart + offset))
            default:
                continue
            }
        }
        guard let name = strings[Tag.name.rawValue], let version = strings[Tag.version.rawValue] else { return nil }
        return Header(name: name, version: version, release: strings[Tag.release.rawValue] ?? "",
                      epoch: epoch, sourceRPM: strings[Tag.sourceRPM.rawValue])
    }
}
