import BerthCore

/// A manifest as the registry stores it: exact bytes plus what lists and validation need.
public struct ManifestRecord: Sendable, Equatable {
    public var repository: RepositoryName
    public var digest: Digest
    public var mediaType: String
    /// The `artifactType` field, else the config media type of an image manifest.
    public var artifactType: String?
    /// The digest of the `subject` descriptor, when there is one.
    public var subject: Digest?
    /// The `annotations` object rendered as JSON text, when there is one.
    public var annotationsJSON: String?
    /// The exact bytes received; never re-encoded.
    public var bytes: [UInt8]
    /// Blobs (config and layers) the manifest references.
    public var blobs: [Digest]
    /// Child manifests (entries of an index).
    public var children: [Digest]
    /// Seconds since the epoch.
    public var createdAt: Int64

    public init(repository: RepositoryName, digest: Digest, mediaType: String, artifactType: String? = nil,
                subject: Digest? = nil, annotationsJSON: String? = nil, bytes: [UInt8],
                blobs: [Digest] = [], children: [Digest] = [], createdAt: Int64) {
        self.repository = repository
        self.digest = digest
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.subject = subject
        self.annotationsJSON = annotationsJSON
        self.bytes = bytes
        self.blobs = blobs
        self.children = children
        self.createdAt = createdAt
    }

    /// Size of the manifest in bytes.
    public var size: Int64 { Int64(bytes.count) }
}
