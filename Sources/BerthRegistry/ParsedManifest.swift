import BerthCore

/// What the registry extracts from a manifest's JSON.
struct ParsedManifest: Sendable {
    /// The effective media type (see `ManifestParser`).
    let mediaType: String
    let artifactType: String?
    let subject: Digest?
    /// The annotations object re-rendered as JSON text (for the referrers list; the manifest itself is
    /// never re-encoded).
    let annotationsJSON: String?
    /// Every blob the manifest references (config and layers).
    let blobs: [Digest]
    /// The blobs that must exist in the repository (foreign and non-distributable layers excluded).
    let requiredBlobs: [Digest]
    /// Child manifests of an index.
    let children: [Digest]
}
