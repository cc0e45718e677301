/// A repository as Harbor's repository list shows it.
public struct RepositoryListing: Sendable, Equatable {
    /// A stable numeric id (the row id on SQLite).
    public var id: Int64
    /// The full name, `project/…`.
    public var name: String
    public var description: String
    /// Top-level artifacts (children of an index are not counted).
    public var artifactCount: Int
    public var pullCount: Int64
    public var createdAt: Int64
    /// The latest push or tag change, else the creation time.
    public var updatedAt: Int64
}

/// A tag of an artifact.
public struct TagListing: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var repository: String
    public var digest: String
    public var pushTime: Int64
    public var pullTime: Int64?
}

/// An artifact (a manifest or index) as Harbor's artifact list shows it.
public struct ArtifactListing: Sendable, Equatable {
    public var id: Int64
    public var repositoryID: Int64
    public var repository: String
    public var digest: String
    public var mediaType: String
    /// The config media type or the manifest's `artifactType`.
    public var artifactType: String?
    /// The manifest plus every blob it references.
    public var size: Int64
    public var pushTime: Int64
    public var pullTime: Int64?
    public var annotationsJSON: String?
    /// Digests of child manifests (for an index).
    public var references: [String]
    /// Filled only when tags were asked for.
    public var tags: [TagListing]

    public init(id: Int64, repositoryID: Int64, repository: String, digest: String, mediaType: String,
                artifactType: String?, size: Int64, pushTime: Int64, pullTime: Int64?, annotationsJSON: String?,
                references: [String], tags: [TagListing]) {
        self.id = id
        self.repositoryID = repositoryID
        self.repository = repository
        self.digest = digest
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.size = size
        self.pushTime = pushTime
        self.pullTime = pullTime
        self.annotationsJSON = annotationsJSON
        self.references = references
        self.tags = tags
    }
}
