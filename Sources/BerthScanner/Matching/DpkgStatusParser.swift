/// Parses a dpkg `status` file (or a `status.d/*` fragment) into installed packages.
///
/// Only paragraphs whose `Status:` ends in `installed` are kept (a missing Status, as in
/// distroless `status.d` files, counts as installed). `Source: name (version)` gives the source
/// version when it differs from the binary's.
public enum DpkgStatusParser {
    /// Packages of a status file, tagged with `ecosystem` (e.g. `Debian:12`).
    public static func parse(_ text: String, ecosystem: String) -> [InstalledPackage] {
        var out: [InstalledPackage] = []
        var fields: [String: String] = [:]
        func flush() {
            defer { fields.removeAll(keepingCapacity: true) }
            guard let name = fields["package"], let version = fields["version"], !name.isEmpty, !version.isEmpty else { return }
            if let status = fields["status"], !status.hasSuffix(" installed") { return }
            var sourceName: String?
            var sourceVersion: String?
            if let source = fields["source"] {
                let parts = source.split(separator: " ", maxSplits: 1)
                if let n = parts.first { sourceName = String(n) }
                if parts.count == 2 {
                    let v = parts[1].trimmingCharacters(in: "() ")
                    if !v.isEmpty { sourceVersion = v }
                }
            }
            out.append(InstalledPackage(ecosystem: ecosystem, name: name, version: version,
                                        sourceName: sourceName, sourceVersion: sourceVersion, kind: .os))
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { flush(); continue }
            if line.first == " " || line.first == "\t" { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[line.startIndex..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            fields[key] = value
        }
        flush()
        return out
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
