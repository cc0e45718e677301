/// One package found in an image: what the matcher needs to look it up.
public struct InstalledPackage: Sendable, Hashable, Codable {
    /// Whether a package belongs to the operating system or to a language ecosystem.
    public enum Kind: String, Sendable, Hashable, Codable {
        case os, language
    }

    /// OSV ecosystem name: `Debian:12`, `Ubuntu:24.04:LTS`, `Alpine:v3.20`, `PyPI`, `npm`, `Go`, …
    public var ecosystem: String
    /// Binary package name (or the language package's name).
    public var name: String
    /// Installed version.
    public var version: String
    /// Source package name (Debian `Source:`, Alpine origin), if different or known.
    public var sourceName: String?
    /// Source package version, if it differs from `version`.
    public var sourceVersion: String?
    public var kind: Kind

    public init(ecosystem: String, name: String, version: String, sourceName: String? = nil,
                sourceVersion: String? = nil, kind: Kind = .os) {
        self.ecosystem = ecosystem
        self.name = name
        self.version = version
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.kind = kind
    }

    /// The name and version advisories are keyed by: source for Debian, Ubuntu and Alpine
    /// (advisories name source packages and origins), the package itself otherwise.
    public var advisoryKey: (name: String, version: String) {
        switch Ecosystem(ecosystem).family {
        case .debian, .ubuntu, .alpine:
            return (sourceName ?? name, sourceVersion ?? version)
        default:
            return (name, version)
        }
    }

    /// The (name, version, kind of advisory name) lookups to make: the advisory key for source-named
    /// advisories, plus the binary name and version for OS advisories that name binaries.
    var lookups: [(name: String, version: String, kind: AffectedPackage.NameKind)] {
        let key = advisoryKey
        switch Ecosystem(ecosystem).family {
        case .debian, .ubuntu, .alpine, .redHat:
            return [(key.name, key.version, .source), (name, version, .binary)]
        default:
            return [(key.name, key.version, .source)]
        }
    }
}

/// One vulnerability affecting one installed package.
public struct VulnerabilityMatch: Sendable, Hashable {
    /// Advisory id.
    public var vulnerabilityID: String
    /// The installed package.
    public var package: InstalledPackage
    /// The version installed (the binary package's version).
    public var installedVersion: String
    /// Versions that fix it (empty if none is known).
    public var fixedVersions: [String]
    /// Resolved severity with its origin.
    public var severity: SeverityAssessment
    /// Index of the advisory in the database, for details (summary, links, CWE ids).
    public var recordIndex: Int
}
