import BerthCore

/// The state of an upload session. `offset` is the number of bytes received so far.
public struct UploadStatus: Sendable, Equatable {
    public let id: String
    public let offset: Int64

    public init(id: String, offset: Int64) {
        self.id = id
        self.offset = offset
    }
}

/// The outcome of storing a manifest.
public struct ManifestPutResult: Sendable, Equatable {
    public let digest: Digest
    /// The manifest's subject, which the API reports in the `OCI-Subject` header.
    public let subject: Digest?

    public init(digest: Digest, subject: Digest?) {
        self.digest = digest
        self.subject = subject
    }
}

/// A manifest as served: exact bytes and media type.
public struct StoredManifest: Sendable, Equatable {
    public let digest: Digest
    public let mediaType: String
    public let bytes: [UInt8]

    public init(digest: Digest, mediaType: String, bytes: [UInt8]) {
        self.digest = digest
        self.mediaType = mediaType
        self.bytes = bytes
    }
}

/// One page of a keyset-paged list.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// Whether items follow the last one of this page.
    public let hasMore: Bool

    public init(items: [Item], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }
}
