/// Parses Alpine's `/lib/apk/db/installed`: paragraphs of `X:value` lines (`P` name, `V` version,
/// `o` origin, the source package advisories name).
enum ApkInstalledParser {
    static func parse(_ text: String, ecosystem: String) -> [InstalledPackage] {
        var out: [InstalledPackage] = []
        var name = "", version = "", origin = ""
        func flush() {
            if !name.isEmpty, !version.isEmpty {
                out.append(InstalledPackage(ecosystem: ecosystem, name: name, version: version,
                                            sourceName: origin.isEmpty ? nil : origin, kind: .os))
            }
            name = ""; version = ""; origin = ""
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { flush(); continue }
            guard line.count >= 2, line.dropFirst().first == ":" else { continue }
            let value = String(line.dropFirst(2))
            switch line.first {
            case "P": name = value
            case "V": version = value
            case "o": origin = value
            default: break
            }
        }
        flush()
        return out
    }
}
