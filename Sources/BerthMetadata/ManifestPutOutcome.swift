import BerthCore

/// The result of `MetadataStore.putManifest`.
public enum ManifestPutOutcome: Sendable, Equatable {
    /// The manifest (and tag) are stored.
    case stored
    /// A required blob is not linked to the repository; nothing was stored.
    case missingBlob(Digest)
    /// A child manifest is not in the repository; nothing was stored.
    case missingManifest(Digest)
}
