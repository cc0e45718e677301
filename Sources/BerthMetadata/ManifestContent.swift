import BerthCore

/// What serving a manifest needs: its digest, media type and exact bytes.
public struct ManifestContent: Sendable, Equatable {
    public let digest: Digest
    public let mediaType: String
    public let bytes: [UInt8]

    public init(digest: Digest, mediaType: String, bytes: [UInt8]) {
        self.digest = digest
        self.mediaType = mediaType
        self.bytes = bytes
    }
}
