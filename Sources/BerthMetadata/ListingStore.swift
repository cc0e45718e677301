/// Paged, filtered and sorted views of repositories, artifacts and tags for the Harbor API, plus the
/// few writes that API makes outside the OCI flow. Every list is answered from indexes: repositories
/// of a project are a key range of the primary key, artifacts and tags are keyed by repository first.
public protocol ListingStore: Sendable {
    /// Repositories whose name starts with `namespace + "/"`. Keys: `name`, `creation_time`, `update_time`.
    func repositoryPage(namespace: String, query: ListingQuery) async throws -> ListingPage<RepositoryListing>
    /// One repository by full name.
    func repositoryListing(_ name: String) async throws -> RepositoryListing?
    /// Repositories of any of `namespaces` (all when nil) whose name contains `text`, by name, at most `limit`.
    func searchRepositories(containing text: String, namespaces: [String]?, limit: Int) async throws -> [RepositoryListing]
    /// The number of repositories under `namespace`, or everywhere when nil.
    func repositoryCount(namespace: String?) async throws -> Int
    /// Bytes of the distinct blobs linked under `namespace` (everywhere when nil), manifests included.
    func storageBytes(namespace: String?) async throws -> Int64
    /// Sets the repository's description; false when it does not exist.
    func setRepositoryDescription(_ name: String, _ description: String) async throws -> Bool
    /// Deletes the repository with every manifest, tag and blob link; false when it did not exist.
    func deleteRepository(_ name: String) async throws -> Bool

    /// Top-level artifacts of a repository. Keys: `digest`, `media_type`, `type` (artifact type), `tags`,
    /// `push_time`, `pull_time`, `size` (filter only on digest/tags/media_type/push_time).
    func artifactPage(repository: String, query: ListingQuery, withTags: Bool) async throws -> ListingPage<ArtifactListing>
    /// One artifact by digest, with its tags.
    func artifactListing(repository: String, digest: String) async throws -> ArtifactListing?
    /// The digest a tag points at.
    func digest(repository: String, tag: String) async throws -> String?
    /// Tags of one artifact (or the whole repository when `digest` is nil). Keys: `name`, `push_time`.
    func tagPage(repository: String, digest: String?, query: ListingQuery) async throws -> ListingPage<TagListing>
    /// Points a new tag at an existing artifact; false when the tag already exists.
    func createTag(repository: String, name: String, digest: String, at time: Int64) async throws -> Bool
    /// Notes that an artifact was pulled (its pull time, the repository's pull count).
    func recordPull(repository: String, digest: String, at time: Int64) async throws
}
