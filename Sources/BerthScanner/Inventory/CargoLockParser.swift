/// Reads `[[package]]` tables from a Rust `Cargo.lock`; crates without a `source` (the workspace's
/// own) are skipped, since no advisory can name them.
enum CargoLockParser {
    static func parse(_ text: String) -> [InstalledPackage] {
        var out: [InstalledPackage] = []
        var name: String?, version: String?, source: String?
        func flush() {
            if let n = name, let v = version, source != nil {
                out.append(InstalledPackage(ecosystem: "crates.io", name: n, version: v, kind: .language))
            }
            name = nil; version = nil; source = nil
        }
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.hasPrefix("[") { flush(); continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[line.startIndex..<eq].trimmingCharacters(in: " ")
            let value = line[line.index(after: eq)...].trimmingCharacters(in: " \"")
            switch key {
            case "name": name = value
            case "version": version = value
            case "source": source = value
            default: break
            }
        }
        flush()
        return out
    }
}
