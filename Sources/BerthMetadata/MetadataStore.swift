import BerthCore

/// The registry's metadata: repositories, blob links, manifests, tags and upload sessions.
///
/// Implemented over SQLite (`SQLiteMetadataStore`) and later PostgreSQL; both run the same schema
/// (`Migrations`). Lookups that find nothing return nil/false/empty; only failures of the database throw.
/// Lists are ordered by byte-wise text order and paged by key (`after`), never by offset.
public protocol MetadataStore: Sendable {
    // MARK: Repositories

    /// Whether the repository exists (it has been pushed to, or an upload was started in it).
    func repositoryExists(_ repository: RepositoryName) async throws -> Bool
    /// Creates the repository if it does not exist.
    func createRepository(_ repository: RepositoryName) async throws
    /// Repository names greater than `after`, in order, at most `limit` (all when nil).
    func repositories(after: String?, limit: Int?) async throws -> [String]

    // MARK: Blobs

    /// Records a stored blob and links it to `repository` (creating the repository). Idempotent.
    func addBlob(_ digest: Digest, size: Int64, to repository: RepositoryName) async throws
    /// Links an already recorded blob into `repository` if it is linked to `source`, or to any repository
    /// when `source` is nil. Returns false (and links nothing) when that condition does not hold.
    func mountBlob(_ digest: Digest, into repository: RepositoryName, from source: RepositoryName?) async throws -> Bool
    /// The size of a blob linked to `repository`, or nil.
    func blobSize(_ digest: Digest, in repository: RepositoryName) async throws -> Int64?
    /// Removes the blob's link to `repository` (the blob itself is left to garbage collection).
    /// Returns false when there was no link.
    func unlinkBlob(_ digest: Digest, from repository: RepositoryName) async throws -> Bool
    /// The subset of `digests` not linked to `repository`, in the order given.
    func missingBlobs(_ digests: [Digest], in repository: RepositoryName) async throws -> [Digest]

    // MARK: Manifests and tags

    /// Stores a manifest with its references (idempotent for the same digest) and, when `tag` is given,
    /// points the tag at it, all in one transaction, creating the repository. In the same transaction it
    /// checks that every digest of `requiredBlobs` is linked to the repository and every child of the
    /// manifest is a manifest of the repository; when one is not, nothing is stored.
    func putManifest(_ manifest: ManifestRecord, tag: String?, requiredBlobs: [Digest]) async throws -> ManifestPutOutcome
    /// The manifest with this digest in `repository`.
    func manifest(_ repository: RepositoryName, digest: Digest) async throws -> ManifestContent?
    /// The manifest the tag points at, in one indexed lookup.
    func manifest(_ repository: RepositoryName, tag: String) async throws -> ManifestContent?
    /// The subset of `digests` that are not manifests of `repository`, in the order given.
    func missingManifests(_ digests: [Digest], in repository: RepositoryName) async throws -> [Digest]
    /// Deletes a manifest, its references and every tag pointing at it. False when it did not exist.
    func deleteManifest(_ repository: RepositoryName, digest: Digest) async throws -> Bool
    /// Deletes a tag only. False when it did not exist.
    func deleteTag(_ repository: RepositoryName, tag: String) async throws -> Bool
    /// Tag names greater than `after`, in order, at most `limit` (all when nil).
    func tags(_ repository: RepositoryName, after: String?, limit: Int?) async throws -> [String]
    /// Manifests of `repository` whose subject is `subject`, optionally only those of `artifactType`,
    /// ordered by digest.
    func referrers(_ repository: RepositoryName, subject: Digest, artifactType: String?) async throws -> [ReferrerRecord]

    // MARK: Uploads

    /// Records a new upload session (creating the repository).
    func createUpload(_ upload: UploadRecord) async throws
    /// The upload session with this id.
    func upload(id: String) async throws -> UploadRecord?
    /// Sets the session's last-change time.
    func touchUpload(id: String, at time: Int64) async throws
    /// Forgets the session; no error when it is gone.
    func deleteUpload(id: String) async throws
    /// Sessions whose last change is at or before `cutoff`, oldest first, at most `limit`.
    func uploads(updatedAtOrBefore cutoff: Int64, limit: Int) async throws -> [UploadRecord]
}
