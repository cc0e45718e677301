/// The packages of an image, as read from its layers: stored so that a database update can
/// re-match it without reading the layers again.
public struct ImageInventory: Sendable, Codable, Hashable {
    /// Format version of this value's encoding.
    public var schemaVersion = 1
    /// The detected operating system, if any.
    public var os: OperatingSystem?
    /// Every package found, OS packages first.
    public var packages: [InventoryPackage]
    /// Layer blob digests, bottom first.
    public var layerDigests: [String]
    /// Files that could not be analysed (skipped, not fatal).
    public var warnings: [String]

    public init(os: OperatingSystem?, packages: [InventoryPackage], layerDigests: [String], warnings: [String] = []) {
        self.os = os
        self.packages = packages
        self.layerDigests = layerDigests
        self.warnings = warnings
    }

    /// The packages in the form `VulnerabilityMatcher.match` takes.
    public var installedPackages: [InstalledPackage] { packages.map(\.package) }
}

/// One package and where it was found.
public struct InventoryPackage: Sendable, Codable, Hashable {
    public var package: InstalledPackage
    /// Digest of the layer holding the file the package was read from.
    public var layerDigest: String
    /// That file's path in the image (no leading `/`).
    public var path: String

    public init(package: InstalledPackage, layerDigest: String, path: String) {
        self.package = package
        self.layerDigest = layerDigest
        self.path = path
    }
}

/// An operating system identified from `os-release`.
public struct OperatingSystem: Sendable, Codable, Hashable {
    /// The family: `debian`, `ubuntu`, `alpine`, `redhat` (RHEL, CentOS, Rocky, Alma, Fedora, …) or the raw `ID`.
    public var family: String
    /// `ID` from os-release.
    public var id: String
    /// `VERSION_ID` from os-release.
    public var versionID: String
    /// `PRETTY_NAME` from os-release.
    public var prettyName: String
    /// Whether the image is distroless (dpkg `status.d` fragments without a dpkg `status`).
    public var distroless: Bool
    /// The OSV ecosystem of its packages (`Debian:12`, `Alpine:v3.20`, `Rocky Linux:9`, …), if known.
    public var ecosystem: String?

    public init(family: String, id: String, versionID: String, prettyName: String, distroless: Bool, ecosystem: String?) {
        self.family = family
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
        self.distroless = distroless
        self.ecosystem = ecosystem
    }
}
