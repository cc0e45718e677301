extension PackageURL {
    /// The purl of an installed package, by ecosystem. OS packages carry the distribution as namespace
    /// and `distro` qualifier (`pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12`), plus `arch`
    /// when the image's architecture is known. Nil for ecosystems without a purl type here.
    public static func of(_ package: InstalledPackage, os: OperatingSystem?, architecture: String?) -> PackageURL? {
        let ecosystem = Ecosystem(package.ecosystem)
        var qualifiers: [String: String] = [:]
        if let architecture, package.kind == .os { qualifiers["arch"] = architecture }
        switch ecosystem.family {
        case .debian, .ubuntu:
            let vendor = ecosystem.family == .debian ? "debian" : "ubuntu"
            qualifiers["distro"] = distro(os, fallback: vendor, release: ecosystem.release)
            return PackageURL(type: "deb", namespace: [vendor], name: package.name, version: package.version,
                              qualifiers: qualifiers)
        case .alpine:
            qualifiers["distro"] = distro(os, fallback: "alpine", release: ecosystem.release)
            return PackageURL(type: "apk", namespace: ["alpine"], name: package.name, version: package.version,
                              qualifiers: qualifiers)
        case .redHat:
            var version = package.version
            if let colon = version.firstIndex(of: ":"), version[..<colon].allSatisfy(\.isNumber), colon != version.startIndex {
                qualifiers["epoch"] = String(version[..<colon])
                version = String(version[version.index(after: colon)...])
            }
            let vendor = os?.id.lowercased() ?? "redhat"
            qualifiers["distro"] = distro(os, fallback: vendor, release: ecosystem.release)
            return PackageURL(type: "rpm", namespace: [vendor], name: package.name, version: version,
                              qualifiers: qualifiers)
        case .pypi:
            return PackageURL(type: "pypi", name: ecosystem.normalizedPackageName(package.name), version: package.version)
        case .npm:
            let parts = package.name.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0].hasPrefix("@") {
                return PackageURL(type: "npm", namespace: [parts[0].lowercased()], name: parts[1].lowercased(),
                                  version: package.version)
            }
            return PackageURL(type: "npm", name: package.name.lowercased(), version: package.version)
        case .go:
            var segments = package.name.split(separator: "/").map(String.init)
            let name = segments.popLast() ?? package.name
            return PackageURL(type: "golang", namespace: segments, name: name, version: package.version)
        case .cratesIO:
            return PackageURL(type: "cargo", name: package.name, version: package.version)
        case .maven:
            let parts = package.name.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return PackageURL(type: "maven", name: package.name, version: package.version) }
            return PackageURL(type: "maven", namespace: [parts[0]], name: parts[1], version: package.version)
        case .rubyGems:
            return PackageURL(type: "gem", name: package.name, version: package.version)
        case .packagist:
            let parts = package.name.lowercased().split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return PackageURL(type: "composer", name: parts.first ?? "", version: package.version) }
            return PackageURL(type: "composer", namespace: [parts[0]], name: parts[1], version: package.version)
        case .nuGet:
            return PackageURL(type: "nuget", name: package.name, version: package.version)
        case .other:
            return nil
        }
    }

    /// `debian-12`, `alpine-3.20.3`, `rocky-9.3`: the os-release id and version when known, else the
    /// ecosystem's release (`v3.20` loses its `v`).
    private static func distro(_ os: OperatingSystem?, fallback: String, release: String) -> String {
        if let os, !os.id.isEmpty, !os.versionID.isEmpty { return os.id.lowercased() + "-" + os.versionID }
        let trimmed = release.hasPrefix("v") ? String(release.dropFirst()) : release
        let base = trimmed.split(separator: ":").first.map(String.init) ?? ""
        return base.isEmpty ? fallback : fallback + "-" + base
    }
}
