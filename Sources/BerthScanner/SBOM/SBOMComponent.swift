import BerthCrypto

/// One package as both SBOM formats list it: deduplicated by purl, sorted, with ids that depend only on
/// the package (so the same image gives the same ids every time).
public struct SBOMComponent: Sendable, Hashable {
    public var name: String
    public var version: String
    public var purl: PackageURL?
    public var kind: InstalledPackage.Kind
    /// OSV ecosystem (`Debian:12`, `PyPI`, …).
    public var ecosystem: String
    /// Source package (`Source:` of dpkg, apk origin), when it differs from the name.
    public var sourceName: String?
    public var sourceVersion: String?
    /// Paths the package was read from, sorted.
    public var paths: [String]
    /// Stable id fragment: the sanitized name plus the first 16 hex digits of SHA-256 over the purl
    /// (or ecosystem, name and version when there is no purl).
    public var stableID: String

    /// The inventory's packages as components, sorted by OS first, then name, version and purl.
    public static func components(of inventory: ImageInventory, architecture: String?) -> [SBOMComponent] {
        var byKey: [String: SBOMComponent] = [:]
        for entry in inventory.packages {
            let package = entry.package
            let purl = PackageURL.of(package, os: inventory.os, architecture: architecture)
            let key = purl?.description ?? package.ecosystem + "\u{0}" + package.name + "\u{0}" + package.version
            if var existing = byKey[key] {
                if !existing.paths.contains(entry.path) { existing.paths.append(entry.path); existing.paths.sort() }
                byKey[key] = existing
                continue
            }
            let source = package.sourceName.flatMap { $0 == package.name ? nil : $0 }
            let sourceVersion = package.sourceVersion ?? (source == nil ? nil : package.version)
            byKey[key] = SBOMComponent(name: package.name, version: package.version, purl: purl, kind: package.kind,
                                       ecosystem: package.ecosystem, sourceName: source, sourceVersion: sourceVersion,
                                       paths: [entry.path], stableID: stableID(package.name, key))
        }
        return byKey.values.sorted { a, b in
            if a.kind != b.kind { return a.kind == .os }
            return (a.name, a.version, a.stableID) < (b.name, b.version, b.stableID)
        }
    }

    private static func stableID(_ name: String, _ key: String) -> String {
        var clean = ""
        for scalar in name.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "." || scalar == "-"
            clean.unicodeScalars.append(ok ? scalar : "-")
        }
        return clean + "-" + String(Hashing.digest(of: Array(key.utf8)).hex.prefix(16))
    }

    /// A version-5-shaped uuid (`xxxxxxxx-xxxx-5xxx-[89ab]xxx-xxxxxxxxxxxx`) from SHA-256 over `seed`.
    public static func uuid(from seed: String) -> String {
        let digest = Hex.decode(Hashing.digest(of: Array(seed.utf8)).hex) ?? Array(repeating: 0, count: 32)
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hex.encode(bytes)
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-"
            + String(h[20..<32])
    }
}
