import BerthCore
import BerthMetadata
import Glibc
import Testing

/// The listing and audit queries on a real SQLite store.
@Suite("Harbor listing store")
struct HarborListingTests {
    static func store() throws -> SQLiteMetadataStore {
        var template = Array("/tmp/berth-harbor-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        return try SQLiteMetadataStore(path: directory + "/berth.db")
    }

    static func digest(_ seed: Int) -> Digest {
        let hex = String(seed, radix: 16)
        return try! Digest(algorithm: .sha256, hex: String(repeating: "0", count: 64 - hex.count) + hex)
    }

    /// Pushes `count` artifacts into `repository`, tagging each `v<n>`, pushed at time `n`.
    static func push(_ store: SQLiteMetadataStore, _ repository: String, count: Int, seed: Int, children: [Digest] = []) async throws {
        let name = RepositoryName(repository)!
        for n in 0..<count {
            let blob = digest(seed * 1000 + n + 500_000)
            try await store.addBlob(blob, size: 100, to: name)
            let record = ManifestRecord(repository: name, digest: digest(seed * 1000 + n),
                                        mediaType: "application/vnd.oci.image.manifest.v1+json",
                                        artifactType: "application/vnd.oci.image.config.v1+json",
                                        bytes: Array("{\"n\":\(n)}".utf8), blobs: [blob], children: children,
                                        createdAt: Int64(1_700_000_000 + n))
            _ = try await store.putManifest(record, tag: "v\(n)", requiredBlobs: [blob])
        }
    }

    @Test func repositoriesOfOneProjectOnly() async throws {
        let store = try Self.store()
        try await Self.push(store, "alpha/web", count: 3, seed: 1)
        try await Self.push(store, "alpha/db", count: 1, seed: 2)
        try await Self.push(store, "alpha0/x", count: 1, seed: 3)
        try await Self.push(store, "alph/x", count: 1, seed: 4)
        let page = try await store.repositoryPage(namespace: "alpha", query: ListingQuery())
        #expect(page.total == 2)
        #expect(page.items.map(\.name) == ["alpha/db", "alpha/web"])
        #expect(page.items.map(\.artifactCount) == [1, 3])
        let fuzzy = try await store.repositoryPage(namespace: "alpha",
            query: ListingQuery(terms: [ListingTerm(key: "name", condition: .fuzzy("we"))]))
        #expect(fuzzy.items.map(\.name) == ["alpha/web"] && fuzzy.total == 1)
        let sorted = try await store.repositoryPage(namespace: "alpha",
            query: ListingQuery(sort: [ListingSort(key: "name", descending: true)], limit: 1))
        #expect(sorted.items.map(\.name) == ["alpha/web"] && sorted.total == 2)
        await #expect(throws: ListingError.unknownKey("secret")) {
            try await store.repositoryPage(namespace: "alpha",
                query: ListingQuery(terms: [ListingTerm(key: "secret", condition: .equals("1"))]))
        }
        #expect(try await store.repositoryCount(namespace: "alpha") == 2)
        #expect(try await store.repositoryCount(namespace: nil) == 4)
        #expect(try await store.storageBytes(namespace: "alpha") > 400)
    }

    @Test func artifactsFilterSortAndPage() async throws {
        let store = try Self.store()
        try await Self.push(store, "p/r", count: 12, seed: 1)
        let first = try await store.artifactPage(repository: "p/r", query: ListingQuery(limit: 5), withTags: true)
        #expect(first.total == 12)
        #expect(first.items.map(\.tags.first?.name) == ["v11", "v10", "v9", "v8", "v7"])
        #expect(first.items[0].size == Int64("{\"n\":11}".utf8.count) + 100)
        let tagged = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "tags", condition: .anyOf(["v1", "v3"]))]), withTags: false)
        #expect(tagged.total == 2 && tagged.items.allSatisfy { $0.tags.isEmpty })
        let range = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "push_time", condition: .range("1700000002", "1700000004"))],
                                sort: [ListingSort(key: "push_time")]), withTags: true)
        #expect(range.items.map(\.pushTime) == [1_700_000_002, 1_700_000_003, 1_700_000_004])
        #expect(try await store.deleteTag(RepositoryName("p/r")!, tag: "v0"))
        let untagged = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "tags", condition: .equals("nil"))]), withTags: true)
        #expect(untagged.total == 1 && untagged.items[0].digest == Self.digest(1000).description)
        await #expect(throws: ListingError.self) {
            try await store.artifactPage(repository: "p/r",
                query: ListingQuery(terms: [ListingTerm(key: "push_time", condition: .equals("soon"))]), withTags: false)
        }
    }

    @Test func indexChildrenAreNotTopLevel() async throws {
        let store = try Self.store()
        try await Self.push(store, "p/multi", count: 2, seed: 1)
        let children = [Self.digest(1000), Self.digest(1001)]
        let index = ManifestRecord(repository: RepositoryName("p/multi")!, digest: Self.digest(9),
                                   mediaType: "application/vnd.oci.image.index.v1+json", bytes: Array("{}".utf8),
                                   children: children, createdAt: 1_800_000_000)
        _ = try await store.putManifest(index, tag: "latest", requiredBlobs: [])
        let page = try await store.artifactPage(repository: "p/multi", query: ListingQuery(), withTags: true)
        #expect(page.total == 1 && page.items[0].references == children.map(\.description))
        #expect(try await store.repositoryListing("p/multi")?.artifactCount == 1)
    }

    @Test func tagsAndPulls() async throws {
        let store = try Self.store()
        try await Self.push(store, "p/t", count: 2, seed: 1)
        let digest = Self.digest(1000).description
        #expect(try await store.createTag(repository: "p/t", name: "extra", digest: digest, at: 5))
        #expect(try await !store.createTag(repository: "p/t", name: "extra", digest: digest, at: 6))
        let tags = try await store.tagPage(repository: "p/t", digest: digest, query: ListingQuery())
        #expect(tags.items.map(\.name) == ["extra", "v0"])
        try await store.recordPull(repository: "p/t", digest: digest, at: 77)
        try await store.recordPull(repository: "p/t", digest: digest, at: 78)
        #expect(try await store.artifactListing(repository: "p/t", digest: digest)?.pullTime == 78)
        #expect(try await store.repositoryListing("p/t")?.pullCount == 2)
        #expect(try await store.setRepositoryDescription("p/t", "hello"))
        #expect(try await store.repositoryListing("p/t")?.description == "hello")
        #expect(try await store.deleteRepository("p/t"))
        #expect(try await store.repositoryListing("p/t") == nil)
        #expect(try await !store.deleteRepository("p/t"))
    }

    @Test func auditLogFiltersAndPurges() async throws {
        let store = try Self.store()
        var records: [AuditRecord] = []
        for n in 0..<6 {
            let project = n % 2 == 0 ? "a" : "b"
            let user = n < 3 ? "alice" : "bob"
            let operation = n == 5 ? "delete" : "create"
            records.append(AuditRecord(project: project, username: user, resource: "a/r:\(n)", resourceType: "artifact",
                                       operation: operation, remoteAddress: "127.0.0.1", time: Int64(1000 + n)))
        }
        try await store.appendAudit(records)
        let all = try await store.auditPage(project: nil, query: ListingQuery(limit: 100))
        #expect(all.total == 6 && all.items.first?.time == 1005)
        let projectA = try await store.auditPage(project: "a", query: ListingQuery())
        #expect(projectA.items.map(\.resource) == ["a/r:4", "a/r:2", "a/r:0"])
        let bob = try await store.auditPage(project: nil,
            query: ListingQuery(terms: [ListingTerm(key: "username", condition: .equals("bob")),
                                        ListingTerm(key: "operation", condition: .equals("delete"))]))
        #expect(bob.total == 1 && bob.items[0].resource == "a/r:5")
        #expect(try await store.purgeAudit(before: 1003) == 3)
        #expect(try await store.auditPage(project: nil, query: ListingQuery()).total == 3)
    }
}
