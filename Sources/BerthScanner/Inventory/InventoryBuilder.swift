/// Runs the analyzers over an image's final file view and assembles the `ImageInventory`.
struct InventoryBuilder {
    let tree: ImageFileTree
    let layerDigests: [String]
    let limits: LayerLimits
    var warnings: [String]

    func build() throws -> ImageInventory {
        var warnings = self.warnings
        let os = try operatingSystem()
        var osPackages: [InventoryPackage] = []
        var languagePackages: [InventoryPackage] = []
        var seen = Set<String>()
        for (path, file) in tree.files.sorted(by: { $0.key < $1.key }) {
            let digest = layerDigests[file.layerIndex]
            func add(_ packages: [InstalledPackage]) {
                for p in packages {
                    let item = InventoryPackage(package: p, layerDigest: digest, path: path)
                    if p.kind == .os { osPackages.append(item); continue }
                    // The same language package reached through a lockfile and its own manifest counts once.
                    if seen.insert("\(p.ecosystem)\u{0}\(p.name)\u{0}\(p.version)").inserted { languagePackages.append(item) }
                }
            }
            switch file.content {
            case .packages(let packages):
                add(packages)
            case .bytes(let bytes):
                do {
                    add(try analyze(file.kind, bytes, os: os))
                } catch {
                    warnings.append("cannot read \(path): \(error)")
                }
            }
        }
        return ImageInventory(os: os, packages: osPackages + languagePackages, layerDigests: layerDigests, warnings: warnings)
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func analyze(_ kind: InventoryFileKind, _ bytes: [UInt8], os: OperatingSystem?) throws -> [InstalledPackage] {
        let osEcosystem = os?.ecosystem ?? os?.id ?? "unknown"
        switch kind {
        case .osRelease, .executable, .javaArchive: return []
        case .dpkgStatus, .dpkgStatusFragment: return DpkgStatusParser.parse(text(bytes), ecosystem: osEcosystem)
        case .apkInstalled: return ApkInstalledParser.parse(text(bytes), ecosystem: osEcosystem)
        case .rpmDatabase: return try RPMDatabaseReader.packages(bytes, ecosystem: osEcosystem)
        case .pythonMetadata: return PythonMetadataParser.parse(text(bytes)).map { [$0] } ?? []
        case .npmPackage: return NpmPackageParser.package(bytes, limits: limits).map { [$0] } ?? []
        case .npmLock: return NpmPackageParser.lockfile(bytes, limits: limits)
        case .cargoLock: return CargoLockParser.parse(text(bytes))
        case .gemspec: return RubyGemParser.gemspec(text(bytes)).map { [$0] } ?? []
        case .gemfileLock: return RubyGemParser.gemfileLock(text(bytes))
        case .composerLock: return ComposerLockParser.parse(bytes, limits: limits)
        }
    }

    /// The OS from `etc/os-release` (links followed) or `usr/lib/os-release`.
    private func operatingSystem() throws -> OperatingSystem? {
        let release = try tree.file(at: "etc/os-release", maxHops: limits.maxSymlinkHops)
            ?? tree.file(at: "usr/lib/os-release", maxHops: limits.maxSymlinkHops)
        let fragments = tree.files.values.contains { $0.kind == .dpkgStatusFragment }
        let status = tree.files.values.contains { $0.kind == .dpkgStatus }
        let distroless = fragments && !status
        guard let (_, file) = release, case .bytes(let bytes) = file.content else {
            return distroless ? OperatingSystem(family: "debian", id: "debian", versionID: "", prettyName: "Distroless",
                                                distroless: true, ecosystem: nil) : nil
        }
        return OSReleaseParser.parse(text(bytes), distroless: distroless)
    }
}
