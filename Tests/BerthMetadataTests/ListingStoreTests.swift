import BerthCore
import BerthMetadata
import Testing

/// `ListingStore` and `AuditStore` behaviour that every backend must share.
@Suite("ListingStore and AuditStore contract")
struct ListingStoreTests {
    /// Pushes `count` artifacts into `repository`, tagging each `v<n>`, pushed at time `1_700_000_000 + n`,
    /// each with one 100-byte layer.
    static func push(_ store: any MetadataStore, _ repository: String, count: Int, seed: Int) async throws {
        for n in 0..<count {
            let blob = fakeDigest(seed * 1000 + n + 500_000)
            try await store.addBlob(blob, size: 100, to: repo(repository))
            let record = ManifestRecord(repository: repo(repository), digest: fakeDigest(seed * 1000 + n),
                                        mediaType: "application/vnd.oci.image.manifest.v1+json",
                                        artifactType: "application/vnd.oci.image.config.v1+json",
                                        bytes: Array("{\"n\":\(n)}".utf8), blobs: [blob], children: [],
                                        createdAt: Int64(1_700_000_000 + n))
            _ = try await store.putManifest(record, tag: "v\(n)", requiredBlobs: [blob])
        }
    }

    @Test(arguments: MetadataStoreFactory.all)
    func repositoriesOfOneNamespace(_ factory: MetadataStoreFactory) async throws {
        let stores = try await StoreSuite.make(factory)
        let store = stores.listing
        try await Self.push(stores.metadata, "alpha/web", count: 3, seed: 1)
        try await Self.push(stores.metadata, "alpha/db", count: 1, seed: 2)
        try await Self.push(stores.metadata, "alpha0/x", count: 1, seed: 3)
        try await Self.push(stores.metadata, "alph/x", count: 1, seed: 4)
        let page = try await store.repositoryPage(namespace: "alpha", query: ListingQuery())
        #expect(page.total == 2)
        #expect(page.items.map(\.name) == ["alpha/db", "alpha/web"])
        #expect(page.items.map(\.artifactCount) == [1, 3])
        #expect(page.items[1].updatedAt == 1_700_000_002)
        let fuzzy = try await store.repositoryPage(namespace: "alpha",
            query: ListingQuery(terms: [ListingTerm(key: "name", condition: .fuzzy("WE"))]))
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
        // Three 100-byte layers plus the manifests' own bytes.
        let manifests = Int64((0..<3).map { "{\"n\":\($0)}".utf8.count }.reduce(0, +) + "{\"n\":0}".utf8.count)
        #expect(try await store.storageBytes(namespace: "alpha") == 400 + manifests)
        #expect(try await store.storageBytes(namespace: nil) == 600 + manifests + 2 * Int64("{\"n\":0}".utf8.count))
        let found = try await store.searchRepositories(containing: "X", namespaces: ["alpha0", "alph"], limit: 10)
        #expect(found.map(\.name) == ["alph/x", "alpha0/x"])
        #expect(try await store.searchRepositories(containing: "x", namespaces: [], limit: 10).isEmpty)
        #expect(try await store.searchRepositories(containing: "", namespaces: nil, limit: 3).count == 3)
        // Ids are stable and distinct.
        let web = try #require(try await store.repositoryListing("alpha/web"))
        #expect(web.id == page.items[1].id && web.id != page.items[0].id)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func artifactsFilterSortAndPage(_ factory: MetadataStoreFactory) async throws {
        let stores = try await StoreSuite.make(factory)
        let store = stores.listing
        try await Self.push(stores.metadata, "p/r", count: 12, seed: 1)
        let first = try await store.artifactPage(repository: "p/r", query: ListingQuery(limit: 5), withTags: true)
        #expect(first.total == 12)
        #expect(first.items.map(\.tags.first?.name) == ["v11", "v10", "v9", "v8", "v7"])
        #expect(first.items[0].size == Int64("{\"n\":11}".utf8.count) + 100)
        #expect(Set(first.items.map(\.id)).count == 5)
        #expect(first.items[0].repositoryID == (try await store.repositoryListing("p/r"))?.id)
        let tagged = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "tags", condition: .anyOf(["v1", "v3"]))]), withTags: false)
        #expect(tagged.total == 2 && tagged.items.allSatisfy { $0.tags.isEmpty })
        let range = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "push_time", condition: .range("1700000002", "1700000004"))],
                                sort: [ListingSort(key: "push_time")]), withTags: true)
        #expect(range.items.map(\.pushTime) == [1_700_000_002, 1_700_000_003, 1_700_000_004])
        // `size` filters on the size the listing reports (manifest plus layer), not the manifest alone.
        let reported = Int64("{\"n\":5}".utf8.count) + 100
        let sized = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "size", condition: .range("\(reported)", "\(reported)"))]),
            withTags: true)
        #expect(sized.total == 10 && sized.items.allSatisfy { $0.size == reported })
        let fuzzyTag = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "tags", condition: .fuzzy("V1"))]), withTags: false)
        #expect(fuzzyTag.total == 3)
        #expect(try await stores.metadata.deleteTag(repo("p/r"), tag: "v0"))
        let untagged = try await store.artifactPage(repository: "p/r",
            query: ListingQuery(terms: [ListingTerm(key: "tags", condition: .equals("nil"))]), withTags: true)
        #expect(untagged.total == 1 && untagged.items[0].digest == fakeDigest(1000).description)
        await #expect(throws: ListingError.self) {
            try await store.artifactPage(repository: "p/r",
                query: ListingQuery(terms: [ListingTerm(key: "push_time", condition: .equals("soon"))]), withTags: false)
        }
        #expect(try await store.digest(repository: "p/r", tag: "v5") == fakeDigest(1005).description)
        #expect(try await store.digest(repository: "p/r", tag: "v0") == nil)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func indexChildrenAreNotTopLevel(_ factory: MetadataStoreFactory) async throws {
        let stores = try await StoreSuite.make(factory)
        try await Self.push(stores.metadata, "p/multi", count: 2, seed: 1)
        let children = [fakeDigest(1000), fakeDigest(1001)]
        let index = ManifestRecord(repository: repo("p/multi"), digest: fakeDigest(9),
                                   mediaType: "application/vnd.oci.image.index.v1+json", bytes: Array("{}".utf8),
                                   children: children, createdAt: 1_800_000_000)
        _ = try await stores.metadata.putManifest(index, tag: "latest", requiredBlobs: [])
        let page = try await stores.listing.artifactPage(repository: "p/multi", query: ListingQuery(), withTags: true)
        #expect(page.total == 1 && page.items[0].references == children.map(\.description))
        #expect(try await stores.listing.repositoryListing("p/multi")?.artifactCount == 1)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func tagsPullsDescriptionsAndDeletion(_ factory: MetadataStoreFactory) async throws {
        let stores = try await StoreSuite.make(factory)
        let store = stores.listing
        try await Self.push(stores.metadata, "p/t", count: 2, seed: 1)
        let digest = fakeDigest(1000).description
        #expect(try await store.createTag(repository: "p/t", name: "extra", digest: digest, at: 5))
        #expect(try await !store.createTag(repository: "p/t", name: "extra", digest: digest, at: 6))
        let tags = try await store.tagPage(repository: "p/t", digest: digest, query: ListingQuery())
        #expect(tags.items.map(\.name) == ["extra", "v0"] && tags.items[0].pushTime == 5)
        #expect(tags.items[0].id != tags.items[1].id)
        let all = try await store.tagPage(repository: "p/t", digest: nil,
                                          query: ListingQuery(sort: [ListingSort(key: "name", descending: true)]))
        #expect(all.items.map(\.name) == ["v1", "v0", "extra"] && all.total == 3)
        try await store.recordPull(repository: "p/t", digest: digest, at: 77)
        try await store.recordPull(repository: "p/t", digest: digest, at: 78)
        #expect(try await store.artifactListing(repository: "p/t", digest: digest)?.pullTime == 78)
        #expect(try await store.artifactListing(repository: "p/t", digest: digest)?.tags.map(\.name) == ["extra", "v0"])
        #expect(try await store.artifactListing(repository: "p/t", digest: fakeDigest(1001).description)?.pullTime == nil)
        #expect(try await store.repositoryListing("p/t")?.pullCount == 2)
        #expect(try await store.setRepositoryDescription("p/t", "hello"))
        #expect(try await !store.setRepositoryDescription("p/none", "hello"))
        #expect(try await store.repositoryListing("p/t")?.description == "hello")
        #expect(try await store.deleteRepository("p/t"))
        #expect(try await store.repositoryListing("p/t") == nil)
        #expect(try await !stores.metadata.repositoryExists(repo("p/t")))
        #expect(try await !store.deleteRepository("p/t"))
    }

    @Test(arguments: MetadataStoreFactory.all)
    func auditLogFiltersSortsAndPurges(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).audit
        var records: [AuditRecord] = []
        for n in 0..<6 {
            records.append(AuditRecord(project: n % 2 == 0 ? "a" : nil, username: n < 3 ? "alice" : "Bob",
                                       resource: "a/r:\(n)", resourceType: "artifact",
                                       operation: n == 5 ? "delete" : "create", remoteAddress: "127.0.0.1",
                                       time: Int64(1000 + n)))
        }
        try await store.appendAudit(records)
        try await store.appendAudit([])
        let all = try await store.auditPage(project: nil, query: ListingQuery(limit: 100))
        #expect(all.total == 6 && all.items.map(\.time) == [1005, 1004, 1003, 1002, 1001, 1000])
        #expect(Set(all.items.map(\.id)).count == 6 && all.items[1].project == "a" && all.items[0].project == nil)
        let projectA = try await store.auditPage(project: "a", query: ListingQuery())
        #expect(projectA.items.map(\.resource) == ["a/r:4", "a/r:2", "a/r:0"])
        let bob = try await store.auditPage(project: nil,
            query: ListingQuery(terms: [ListingTerm(key: "username", condition: .equals("Bob")),
                                        ListingTerm(key: "operation", condition: .equals("delete"))]))
        #expect(bob.total == 1 && bob.items[0].resource == "a/r:5")
        let fuzzy = try await store.auditPage(project: nil,
            query: ListingQuery(terms: [ListingTerm(key: "username", condition: .fuzzy("bo"))]))
        #expect(fuzzy.total == 3)
        let byUser = try await store.auditPage(project: nil,
            query: ListingQuery(sort: [ListingSort(key: "username"), ListingSort(key: "op_time")], limit: 2))
        #expect(byUser.items.map(\.username) == ["Bob", "Bob"] && byUser.items[0].time == 1003)
        let window = try await store.auditPage(project: nil,
            query: ListingQuery(terms: [ListingTerm(key: "op_time", condition: .range("1001", "1002"))]))
        #expect(window.items.map(\.time) == [1002, 1001])
        #expect(try await store.purgeAudit(before: 1003) == 3)
        #expect(try await store.auditPage(project: nil, query: ListingQuery()).total == 3)
    }
}
