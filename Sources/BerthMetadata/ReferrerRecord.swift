import BerthCore

/// A manifest that refers to a subject, as the referrers list describes it.
public struct ReferrerRecord: Sendable, Equatable {
    public let digest: Digest
    public let mediaType: String
    public let size: Int64
    public let artifactType: String?
    /// The manifest's `annotations` object as JSON text.
    public let annotationsJSON: String?

    public init(digest: Digest, mediaType: String, size: Int64, artifactType: String?, annotationsJSON: String?) {
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.artifactType = artifactType
        self.annotationsJSON = annotationsJSON
    }
}
