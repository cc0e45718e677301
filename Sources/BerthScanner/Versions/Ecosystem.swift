/// A package ecosystem as OSV names it (`Debian:12`, `Alpine:v3.20`, `PyPI`, `Go`, …), reduced to the
/// family that decides version ordering and name matching, plus the release (`12`, `v3.20`, `24.04`).
public struct Ecosystem: Hashable, Sendable, CustomStringConvertible {
    /// The version-ordering family of an ecosystem.
    public enum Family: String, Sendable, CaseIterable, Codable {
        case debian, ubuntu, alpine, redHat, pypi, go, cratesIO, npm, maven, rubyGems, nuGet, packagist, other
    }

    /// The family that decides comparator and name rules.
    public let family: Family
    /// The release part after the first `:` (`12`, `v3.20`, `24.04:LTS`, `Pro:24.04:LTS`), empty if none.
    public let release: String
    /// The name exactly as given.
    public let name: String

    /// Parses an OSV ecosystem string.
    public init(_ name: String) {
        self.name = name
        let base: Substring
        if let colon = name.firstIndex(of: ":") {
            base = name[name.startIndex..<colon]
            release = String(name[name.index(after: colon)...])
        } else {
            base = Substring(name)
            release = ""
        }
        switch base.lowercased() {
        case "debian": family = .debian
        case "ubuntu": family = .ubuntu
        case "alpine": family = .alpine
        case "red hat", "redhat", "rocky linux", "almalinux", "suse", "opensuse", "mageia", "openeuler": family = .redHat
        case "pypi": family = .pypi
        case "go": family = .go
        case "crates.io": family = .cratesIO
        case "npm": family = .npm
        case "maven": family = .maven
        case "rubygems": family = .rubyGems
        case "nuget": family = .nuGet
        case "packagist": family = .packagist
        default: family = .other
        }
    }

    public var description: String { name }

    /// The OSV ecosystem name for an operating system from `/etc/os-release` (`ID`, `VERSION_ID`):
    /// `debian`/`12` → `Debian:12`, `ubuntu`/`24.04` → `Ubuntu:24.04:LTS` (even-year `.04` releases),
    /// `alpine`/`3.20.3` → `Alpine:v3.20`. Nil for systems without an OSV ecosystem here.
    public static func osvName(osID: String, versionID: String) -> String? {
        let parts = versionID.split(separator: ".")
        switch osID.lowercased() {
        case "debian":
            guard let major = parts.first, !major.isEmpty else { return nil }
            return "Debian:" + major
        case "ubuntu":
            guard parts.count >= 2, let year = Int(parts[0]) else { return nil }
            let lts = parts[1] == "04" && year % 2 == 0
            return "Ubuntu:\(parts[0]).\(parts[1])" + (lts ? ":LTS" : "")
        case "alpine":
            guard parts.count >= 2 else { return nil }
            return "Alpine:v\(parts[0]).\(parts[1])"
        default:
            return nil
        }
    }

    /// The comparator for this ecosystem's `ECOSYSTEM` ranges and version lists.
    public var comparator: any VersionComparator { Self.comparator(for: family) }

    /// The comparator of a family.
    public static func comparator(for family: Family) -> any VersionComparator {
        switch family {
        case .debian, .ubuntu: return DpkgVersionComparator()
        case .alpine: return APKVersionComparator()
        case .redHat: return RPMVersionComparator()
        case .pypi: return PEP440VersionComparator()
        case .go: return GoVersionComparator()
        case .cratesIO, .npm, .other, .packagist: return SemanticVersionComparator()
        case .maven: return MavenVersionComparator()
        case .rubyGems: return RubyGemsVersionComparator()
        case .nuGet: return NuGetVersionComparator()
        }
    }

    /// Normalises a package name for lookup: PyPI per PEP 503, case-insensitive ecosystems lowercased.
    public func normalizedPackageName(_ name: String) -> String {
        switch family {
        case .pypi:
            var out = ""
            var lastSep = false
            for ch in name.lowercased() {
                if ch == "-" || ch == "_" || ch == "." {
                    if !lastSep { out.append("-") }
                    lastSep = true
                } else {
                    out.append(ch); lastSep = false
                }
            }
            return out
        case .nuGet, .packagist: return name.lowercased()
        default: return name
        }
    }
}
