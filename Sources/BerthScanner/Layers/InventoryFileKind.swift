/// The files analyzers read, chosen by path (and mode) while a layer streams by.
enum InventoryFileKind: String, Sendable, Codable {
    case osRelease, dpkgStatus, dpkgStatusFragment, apkInstalled, rpmDatabase
    case pythonMetadata, npmPackage, npmLock, cargoLock, gemspec, gemfileLock, composerLock
    case javaArchive, executable

    /// The kind of a regular file at a normalised `path`, or nil when no analyzer wants it.
    static func select(path: String, mode: UInt32) -> InventoryFileKind? {
        switch path {
        case "etc/os-release", "usr/lib/os-release": return .osRelease
        case "var/lib/dpkg/status": return .dpkgStatus
        case "lib/apk/db/installed", "usr/lib/apk/db/installed": return .apkInstalled
        case "var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite": return .rpmDatabase
        default: break
        }
        let name = LayerPath.name(path)
        // The parent is only computed for the few names that need it (most entries match nothing).
        if path.hasPrefix("var/lib/dpkg/status.d/") && LayerPath.parent(path) == "var/lib/dpkg/status.d" {
            return name.hasSuffix(".md5sums") ? nil : .dpkgStatusFragment
        }
        if name == "METADATA" && LayerPath.parent(path).hasSuffix(".dist-info") { return .pythonMetadata }
        if name == "PKG-INFO" && LayerPath.parent(path).hasSuffix(".egg-info") { return .pythonMetadata }
        if name.hasSuffix(".egg-info") && path.contains("-packages/") { return .pythonMetadata }
        if name == "package.json" { return isNodeModule(LayerPath.parent(path)) ? .npmPackage : nil }
        if name == "package-lock.json" || name == ".package-lock.json" { return .npmLock }
        if name == "Cargo.lock" { return .cargoLock }
        if name.hasSuffix(".gemspec") && LayerPath.name(LayerPath.parent(path)) == "specifications" { return .gemspec }
        if name == "Gemfile.lock" { return .gemfileLock }
        if name == "composer.lock" { return .composerLock }
        if name.hasSuffix(".jar") || name.hasSuffix(".war") || name.hasSuffix(".ear") { return .javaArchive }
        if mode & 0o111 != 0 { return .executable }
        return nil
    }

    /// Whether `dir` is a package directory directly under `node_modules` (`node_modules/x` or `node_modules/@s/x`).
    private static func isNodeModule(_ dir: String) -> Bool {
        let up = LayerPath.parent(dir)
        if LayerPath.name(up) == "node_modules" { return true }
        return LayerPath.name(up).hasPrefix("@") && LayerPath.name(LayerPath.parent(up)) == "node_modules"
    }
}
