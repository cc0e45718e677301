/// The image an SBOM describes and the facts about the document itself that are not in the inventory.
public struct SBOMSubject: Sendable, Hashable {
    /// Repository name (`library/debian`).
    public var repository: String
    /// The image's manifest digest (`sha256:…`).
    public var digest: String
    /// The image's architecture from its config (`amd64`), nil for an index or when unknown.
    public var architecture: String?
    /// Creation time, RFC 3339 in UTC to the second (`2026-01-02T03:04:05Z`), as SPDX requires.
    public var created: String
    /// The generating tool's version.
    public var toolVersion: String
    /// Base URI of SPDX document namespaces (the document's namespace adds the repository, digest and a
    /// uuid derived from the document's inputs).
    public var namespaceBase: String

    public init(repository: String, digest: String, architecture: String?, created: String, toolVersion: String,
                namespaceBase: String = "https://berth.invalid/spdxdocs") {
        self.repository = repository
        self.digest = digest
        self.architecture = architecture
        self.created = Self.wholeSeconds(created)
        self.toolVersion = toolVersion
        self.namespaceBase = namespaceBase
    }

    /// `2026-01-02T03:04:05.678Z` → `2026-01-02T03:04:05Z` (SPDX allows no fraction); other text unchanged.
    public static func wholeSeconds(_ time: String) -> String {
        guard time.hasSuffix("Z"), let dot = time.firstIndex(of: ".") else { return time }
        return String(time[..<dot]) + "Z"
    }

    /// `pkg:oci/<last path segment>@<digest>?repository_url=<repository>`, the image's own purl.
    public var purl: PackageURL {
        let name = repository.split(separator: "/").last.map(String.init) ?? repository
        var qualifiers = ["repository_url": repository]
        if let architecture { qualifiers["arch"] = architecture }
        return PackageURL(type: "oci", name: name.lowercased(), version: digest, qualifiers: qualifiers)
    }
}
