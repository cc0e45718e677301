/// Reads `Name` and `Version` from Python core metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`).
enum PythonMetadataParser {
    static func parse(_ text: String) -> InstalledPackage? {
        var name: String?, version: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { break }  // headers end at the first blank line
            if line.hasPrefix("Name:") { name = line.dropFirst(5).trimmingCharacters(in: " \t") }
            if line.hasPrefix("Version:") { version = line.dropFirst(8).trimmingCharacters(in: " \t") }
        }
        guard let n = name, let v = version, !n.isEmpty, !v.isEmpty else { return nil }
        return InstalledPackage(ecosystem: "PyPI", name: n, version: v, kind: .language)
    }
}
