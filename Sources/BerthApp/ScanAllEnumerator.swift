import BerthCore
import BerthMetadata

/// Walks every image artifact of every repository of every project, a page at a time: top-level
/// artifacts only (an index's scan covers its children), oldest first so that pushes during the walk
/// land behind it rather than shifting the pages.
struct ScanAllEnumerator: Sendable {
    let identity: any IdentityStore
    let listings: any ListingStore
    var pageSize = 100

    /// Calls `body` with the repository and digest of each image artifact.
    func forEachImage(_ body: (String, String) async throws -> Void) async throws {
        var projectOffset = 0
        while true {
            let projects = try await identity.projects(matching: nil, publicOnly: false, offset: projectOffset, limit: pageSize)
            for project in projects {
                try await forEachRepository(of: project.name) { repository in
                    try Task.checkCancellation()
                    try await forEachArtifact(in: repository) { artifact in
                        if Self.isImage(artifact) { try await body(repository, artifact.digest) }
                    }
                }
            }
            guard projects.count == pageSize else { return }
            projectOffset += pageSize
        }
    }

    private func forEachRepository(of namespace: String, _ body: (String) async throws -> Void) async throws {
        var offset = 0
        while true {
            let page = try await listings.repositoryPage(
                namespace: namespace, query: ListingQuery(sort: [ListingSort(key: "creation_time")], offset: offset, limit: pageSize))
            for repository in page.items { try await body(repository.name) }
            guard page.items.count == pageSize else { return }
            offset += pageSize
        }
    }

    private func forEachArtifact(in repository: String, _ body: (ArtifactListing) async throws -> Void) async throws {
        var offset = 0
        while true {
            let page = try await listings.artifactPage(
                repository: repository, query: ListingQuery(sort: [ListingSort(key: "push_time")], offset: offset, limit: pageSize),
                withTags: false)
            for artifact in page.items { try await body(artifact) }
            guard page.items.count == pageSize else { return }
            offset += pageSize
        }
    }

    /// Images and image indexes: what the scanner reads (not SBOMs, signatures or charts).
    static func isImage(_ artifact: ArtifactListing) -> Bool {
        MediaType.indexTypes.contains(artifact.mediaType) || MediaType.imageConfigTypes.contains(artifact.artifactType ?? "")
    }
}
