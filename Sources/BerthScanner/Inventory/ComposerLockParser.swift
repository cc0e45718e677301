/// Reads PHP packages (`packages` and `packages-dev`) from `composer.lock`, ecosystem `Packagist`.
enum ComposerLockParser {
    static func parse(_ bytes: [UInt8], limits: LayerLimits) -> [InstalledPackage] {
        guard let json = try? JSONParser(maxBytes: limits.maxMetadataFileSize).parse(bytes) else { return [] }
        var out: [InstalledPackage] = []
        for section in ["packages", "packages-dev"] {
            for item in json[section]?.array ?? [] {
                guard let name = item["name"]?.string, var version = item["version"]?.string else { continue }
                if version.hasPrefix("v"), version.dropFirst().first?.isNumber == true { version.removeFirst() }
                out.append(InstalledPackage(ecosystem: "Packagist", name: name, version: version, kind: .language))
            }
        }
        return out
    }
}
