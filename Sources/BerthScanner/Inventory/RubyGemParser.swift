/// Reads RubyGems packages from installed `specifications/*.gemspec` files and from `Gemfile.lock`.
enum RubyGemParser {
    /// `s.name = "rack".freeze` and `s.version = "3.0.8"` (or `Gem::Version.new("…")`) in a gemspec.
    static func gemspec(_ text: String) -> InstalledPackage? {
        var name: String?, version: String?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: " \t\r")
            guard let eq = line.firstIndex(of: "=") else { continue }
            let lhs = line[line.startIndex..<eq].trimmingCharacters(in: " ")
            guard lhs.hasSuffix(".name") || lhs.hasSuffix(".version") else { continue }
            let rhs = line[line.index(after: eq)...]
            guard let open = rhs.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { continue }
            let rest = rhs[rhs.index(after: open)...]
            guard let close = rest.firstIndex(of: rhs[open]) else { continue }
            let value = String(rest[rest.startIndex..<close])
            if lhs.hasSuffix(".name"), name == nil { name = value }
            if lhs.hasSuffix(".version"), version == nil { version = value }
        }
        guard let n = name, let v = version, !n.isEmpty, !v.isEmpty else { return nil }
        return InstalledPackage(ecosystem: "RubyGems", name: n, version: v, kind: .language)
    }

    /// The `specs:` of the `GEM` section: four-space `name (version[-platform])` lines.
    static func gemfileLock(_ text: String) -> [InstalledPackage] {
        var out: [InstalledPackage] = []
        var inGem = false, inSpecs = false
        for raw in text.split(separator: "\n") {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if !line.hasPrefix(" ") { inGem = line == "GEM"; inSpecs = false; continue }
            if inGem && line.trimmingCharacters(in: " ") == "specs:" { inSpecs = true; continue }
            guard inSpecs, line.hasPrefix("    "), !line.hasPrefix("     ") else { continue }
            let body = line.dropFirst(4)
            guard let open = body.firstIndex(of: "("), let close = body.lastIndex(of: ")"), open < close else { continue }
            let name = body[body.startIndex..<open].trimmingCharacters(in: " ")
            var version = String(body[body.index(after: open)..<close])
            if let dash = version.firstIndex(of: "-") { version = String(version[version.startIndex..<dash]) }
            out.append(InstalledPackage(ecosystem: "RubyGems", name: name, version: version, kind: .language))
        }
        return out
    }
}
