import BerthCore
import BerthMetadata
import BerthStorage
import Glibc

/// The OCI distribution services: blobs, uploads, manifests, tags, referrers and the catalog.
/// Routes call this facade; it knows nothing of HTTP. Every failure the client should see is a
/// `RegistryError`; anything else is unexpected and propagates unchanged.
public final class Registry: Sendable {
    let blobs: any BlobStore
    let metadata: any MetadataStore
    let configuration: RegistryConfiguration
    let cache: ManifestCache

    public init(blobs: any BlobStore, metadata: any MetadataStore, configuration: RegistryConfiguration) {
        self.blobs = blobs
        self.metadata = metadata
        self.configuration = configuration
        cache = ManifestCache(lifetimeMilliseconds: configuration.manifestCacheMilliseconds,
                              capacity: configuration.manifestCacheEntries)
    }

    // MARK: Blobs

    /// The size of a blob linked to `repository`.
    public func blobSize(_ repository: RepositoryName, _ digest: Digest) async throws -> Int64 {
        guard let size = try await metadata.blobSize(digest, in: repository) else {
            throw RegistryError(.blobUnknown, "blob unknown to repository", detailJSON: Self.digestDetail(digest))
        }
        return size
    }

    /// Opens a blob linked to `repository`, optionally a byte range of it. `size` is the whole blob's size.
    public func readBlob(_ repository: RepositoryName, _ digest: Digest,
                         range: Range<Int64>?) async throws -> (size: Int64, content: BlobContent) {
        let size = try await blobSize(repository, digest)
        if let range, range.lowerBound < 0 || range.upperBound > size || range.isEmpty {
            throw RegistryError(.rangeInvalid, "requested range \(range) is outside the blob of \(size) bytes")
        }
        do {
            return (size, try await blobs.read(digest, range: range))
        } catch StorageError.notFound {
            throw RegistryError(.blobUnknown, "blob content is missing", detailJSON: Self.digestDetail(digest))
        }
    }

    /// Removes the blob from `repository` (the bytes are left to garbage collection).
    public func deleteBlob(_ repository: RepositoryName, _ digest: Digest) async throws {
        guard try await metadata.unlinkBlob(digest, from: repository) else {
            throw RegistryError(.blobUnknown, "blob unknown to repository", detailJSON: Self.digestDetail(digest))
        }
    }

    /// Links an existing blob into `repository`: from `source` when given, else from any repository that
    /// has it. Returns true when mounted; false when the caller must start an upload session instead.
    public func mount(_ digest: Digest, into repository: RepositoryName, from source: RepositoryName?) async throws -> Bool {
        if try await metadata.blobSize(digest, in: repository) != nil { return true }
        return try await metadata.mountBlob(digest, into: repository, from: source)
    }

    // MARK: Helpers

    /// Seconds since the epoch.
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    static func digestDetail(_ digest: Digest) -> String { "{\"digest\":\(JSONText.quote(digest.description))}" }

    /// Throws NAME_UNKNOWN when the repository does not exist; used after a lookup found nothing.
    func requireRepository(_ repository: RepositoryName) async throws {
        guard try await metadata.repositoryExists(repository) else {
            throw RegistryError(.nameUnknown, "repository name not known to registry",
                                detailJSON: "{\"name\":\(JSONText.quote(repository.value))}")
        }
    }
}
