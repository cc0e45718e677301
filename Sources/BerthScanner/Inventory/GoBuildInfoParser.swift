/// Decodes Go build information (Go 1.18+ inline format): the Go version and the module lines
/// (`path`, `mod`, `dep`, `=>`) that `go version -m` prints.
enum GoBuildInfoParser {
    /// What a binary was built from.
    struct BuildInfo: Equatable {
        var goVersion: String
        var mainModule: String?
        var mainVersion: String?
        var dependencies: [(path: String, version: String)]

        static func == (a: BuildInfo, b: BuildInfo) -> Bool {
            a.goVersion == b.goVersion && a.mainModule == b.mainModule && a.mainVersion == b.mainVersion
                && a.dependencies.map { $0.path + "@" + $0.version } == b.dependencies.map { $0.path + "@" + $0.version }
        }

        /// Packages for the matcher, in the `Go` ecosystem: `stdlib` at the toolchain version, the main
        /// module when it has a real version, and every dependency.
        var packages: [InstalledPackage] {
            var out: [InstalledPackage] = []
            var std = goVersion.hasPrefix("go") ? String(goVersion.dropFirst(2)) : goVersion
            if let space = std.firstIndex(of: " ") { std = String(std[std.startIndex..<space]) }
            if !std.isEmpty { out.append(InstalledPackage(ecosystem: "Go", name: "stdlib", version: std, kind: .language)) }
            if let main = mainModule, let v = mainVersion, v != "(devel)", !v.isEmpty {
                out.append(InstalledPackage(ecosystem: "Go", name: main, version: v, kind: .language))
            }
            for dep in dependencies {
                out.append(InstalledPackage(ecosystem: "Go", name: dep.path, version: dep.version, kind: .language))
            }
            return out
        }
    }

    /// Parses the bytes starting at the `\xff Go buildinf:` header; nil if the format is not the
    /// inline-string one or is corrupt.
    static func parse(_ bytes: [UInt8]) -> BuildInfo? {
        guard bytes.count > 32, Array(bytes[0..<14]) == GoBuildInfoScanner.magic, bytes[15] & 0x2 != 0 else { return nil }
        var p = 32
        guard let version = string(bytes, &p), let modinfo = string(bytes, &p) else { return nil }
        var info = BuildInfo(goVersion: version, dependencies: [])
        // The module text is wrapped in 16-byte sentinels.
        var text = Substring(modinfo)
        if modinfo.utf8.count >= 33 {
            let u = Array(modinfo.utf8)
            if u[u.count - 17] == 0x0A { text = Substring(String(decoding: u[16..<(u.count - 16)], as: UTF8.self)) }
        }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let key = f.first else { continue }
            switch key {
            case "mod" where f.count >= 3:
                info.mainModule = f[1]; info.mainVersion = f[2]
            case "dep" where f.count >= 3:
                info.dependencies.append((f[1], f[2]))
            case "=>" where f.count >= 3:
                // A replacement of the previous dependency; local paths (no version) cannot be matched.
                guard !info.dependencies.isEmpty else { continue }
                if f[2].isEmpty { info.dependencies.removeLast() } else { info.dependencies[info.dependencies.count - 1] = (f[1], f[2]) }
            default:
                continue
            }
        }
        return info
    }

    /// A uvarint-length-prefixed string.
    private static func string(_ b: [UInt8], _ p: inout Int) -> String? {
        var length = 0
        var shift = 0
        while p < b.count {
            let byte = b[p]; p += 1
            length |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if shift > 35 { return nil }
        }
        guard length >= 0, p + length <= b.count else { return nil }
        defer { p += length }
        return String(decoding: b[p..<(p + length)], as: UTF8.self)
    }
}
