/// Reads npm packages from `node_modules/**/package.json` and from `package-lock.json`
/// (lockfile v1 `dependencies`, v2/v3 `packages`).
enum NpmPackageParser {
    static func package(_ bytes: [UInt8], limits: LayerLimits) -> InstalledPackage? {
        guard let json = try? JSONParser(maxBytes: limits.maxMetadataFileSize).parse(bytes),
              let name = json["name"]?.string, let version = json["version"]?.string, !name.isEmpty, !version.isEmpty
        else { return nil }
        return InstalledPackage(ecosystem: "npm", name: name, version: version, kind: .language)
    }

    static func lockfile(_ bytes: [UInt8], limits: LayerLimits) -> [InstalledPackage] {
        guard let json = try? JSONParser(maxBytes: limits.maxMetadataFileSize, maxDepth: 512).parse(bytes) else { return [] }
        var out: [InstalledPackage] = []
        if case .object(let packages)? = json["packages"] {
            for (key, value) in packages.sorted(by: { $0.key < $1.key }) {
                guard key.contains("node_modules/"), value["link"] == nil, let version = value["version"]?.string,
                      let last = key.split(separator: "node_modules/", omittingEmptySubsequences: false).last else { continue }
                let name = value["name"]?.string ?? String(last)
                out.append(InstalledPackage(ecosystem: "npm", name: name, version: version, kind: .language))
            }
            return out
        }
        func walk(_ deps: JSONValue?) {
            for (name, value) in (deps?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let version = value["version"]?.string, !version.contains(":") {
                    out.append(InstalledPackage(ecosystem: "npm", name: name, version: version, kind: .language))
                }
                walk(value["dependencies"])
            }
        }
        walk(json["dependencies"])
        return out
    }
}
