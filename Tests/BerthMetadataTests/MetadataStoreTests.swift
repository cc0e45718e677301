import BerthCore
import BerthMetadata
import Testing

@Suite("MetadataStore contract")
struct MetadataStoreTests {
    @Test(arguments: MetadataStoreFactory.all)
    func repositoriesArePagedByKey(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        for name in ["c/x", "a", "b/y", "a/b"] { try await store.createRepository(repo(name)) }
        try await store.createRepository(repo("a"))
        #expect(try await store.repositories(after: nil, limit: nil) == ["a", "a/b", "b/y", "c/x"])
        #expect(try await store.repositories(after: nil, limit: 2) == ["a", "a/b"])
        #expect(try await store.repositories(after: "a/b", limit: 2) == ["b/y", "c/x"])
        #expect(try await store.repositories(after: "c/x", limit: 2) == [])
        #expect(try await store.repositoryExists(repo("b/y")))
        #expect(try await !store.repositoryExists(repo("b")))
    }

    @Test(arguments: MetadataStoreFactory.all)
    func blobLinksAndMounts(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        let blob = fakeDigest(1)
        #expect(try await store.blobSize(blob, in: repo("one")) == nil)
        try await store.addBlob(blob, size: 42, to: repo("one"))
        try await store.addBlob(blob, size: 42, to: repo("one"))
        #expect(try await store.blobSize(blob, in: repo("one")) == 42)
        #expect(try await store.blobSize(blob, in: repo("two")) == nil)
        #expect(try await !store.mountBlob(blob, into: repo("two"), from: repo("three")))
        #expect(try await store.blobSize(blob, in: repo("two")) == nil)
        #expect(try await store.mountBlob(blob, into: repo("two"), from: repo("one")))
        #expect(try await store.blobSize(blob, in: repo("two")) == 42)
        #expect(try await store.mountBlob(blob, into: repo("four"), from: nil))
        #expect(try await !store.mountBlob(fakeDigest(2), into: repo("four"), from: nil))
        #expect(try await store.missingBlobs([fakeDigest(2), blob, fakeDigest(3)], in: repo("two")) == [fakeDigest(2), fakeDigest(3)])
        #expect(try await store.unlinkBlob(blob, from: repo("two")))
        #expect(try await !store.unlinkBlob(blob, from: repo("two")))
        #expect(try await store.blobSize(blob, in: repo("two")) == nil)
        #expect(try await store.blobSize(blob, in: repo("one")) == 42)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func manifestsKeepExactBytesAndTagsMove(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        let first = manifestRecord("app", 10, blobs: [fakeDigest(1)])
        let second = manifestRecord("app", 11)
        _ = try await store.putManifest(first, tag: "latest", requiredBlobs: [])
        _ = try await store.putManifest(first, tag: "latest", requiredBlobs: [])
        #expect(try await store.manifest(repo("app"), tag: "latest") ==
                ManifestContent(digest: first.digest, mediaType: first.mediaType, bytes: first.bytes))
        #expect(try await store.manifest(repo("app"), digest: first.digest)?.bytes == first.bytes)
        _ = try await store.putManifest(second, tag: "latest", requiredBlobs: [])
        #expect(try await store.manifest(repo("app"), tag: "latest")?.digest == second.digest)
        #expect(try await store.manifest(repo("other"), tag: "latest") == nil)
        #expect(try await store.missingManifests([first.digest, fakeDigest(99)], in: repo("app")) == [fakeDigest(99)])
    }

    @Test(arguments: MetadataStoreFactory.all)
    func putChecksRequiredBlobsAndChildrenInTheSameTransaction(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        try await store.addBlob(fakeDigest(1), size: 1, to: repo("app"))
        try await store.addBlob(fakeDigest(2), size: 1, to: repo("other"))
        let image = manifestRecord("app", 50, blobs: [fakeDigest(1), fakeDigest(2)])
        #expect(try await store.putManifest(image, tag: "x", requiredBlobs: [fakeDigest(1), fakeDigest(2)])
                == .missingBlob(fakeDigest(2)))
        #expect(try await store.manifest(repo("app"), digest: image.digest) == nil)
        #expect(try await store.tags(repo("app"), after: nil, limit: nil) == [])
        #expect(try await store.putManifest(image, tag: "x", requiredBlobs: [fakeDigest(1)]) == .stored)
        let index = manifestRecord("app", 51, children: [image.digest, fakeDigest(52)])
        #expect(try await store.putManifest(index, tag: "multi", requiredBlobs: []) == .missingManifest(fakeDigest(52)))
        try await store.putManifest(manifestRecord("app", 52), tag: nil, requiredBlobs: []).expectStored()
        #expect(try await store.putManifest(index, tag: "multi", requiredBlobs: []) == .stored)
        #expect(try await store.manifest(repo("app"), tag: "multi")?.digest == index.digest)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func deletingManifestRemovesItsTagsButTagDeleteKeepsManifest(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        let record = manifestRecord("app", 20)
        _ = try await store.putManifest(record, tag: "a", requiredBlobs: [])
        _ = try await store.putManifest(record, tag: "b", requiredBlobs: [])
        #expect(try await store.deleteTag(repo("app"), tag: "a"))
        #expect(try await !store.deleteTag(repo("app"), tag: "a"))
        #expect(try await store.manifest(repo("app"), digest: record.digest) != nil)
        #expect(try await store.tags(repo("app"), after: nil, limit: nil) == ["b"])
        #expect(try await store.deleteManifest(repo("app"), digest: record.digest))
        #expect(try await !store.deleteManifest(repo("app"), digest: record.digest))
        #expect(try await store.tags(repo("app"), after: nil, limit: nil) == [])
        #expect(try await store.manifest(repo("app"), tag: "b") == nil)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func tagsArePagedByKey(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        let record = manifestRecord("app", 30)
        for tag in ["v2", "v1", "latest", "V3"] { _ = try await store.putManifest(record, tag: tag, requiredBlobs: []) }
        #expect(try await store.tags(repo("app"), after: nil, limit: nil) == ["V3", "latest", "v1", "v2"])
        #expect(try await store.tags(repo("app"), after: nil, limit: 3) == ["V3", "latest", "v1"])
        #expect(try await store.tags(repo("app"), after: "v1", limit: 3) == ["v2"])
        #expect(try await store.tags(repo("app"), after: nil, limit: 0) == [])
    }

    @Test(arguments: MetadataStoreFactory.all)
    func referrersFilterBySubjectAndArtifactType(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        let subject = fakeDigest(40)
        _ = try await store.putManifest(manifestRecord("app", 40), tag: nil, requiredBlobs: [])
        _ = try await store.putManifest(manifestRecord("app", 42, subject: subject, artifactType: "sig"), tag: nil, requiredBlobs: [])
        _ = try await store.putManifest(manifestRecord("app", 41, subject: subject, artifactType: "sbom"), tag: nil, requiredBlobs: [])
        _ = try await store.putManifest(manifestRecord("other", 43, subject: subject, artifactType: "sig"), tag: nil, requiredBlobs: [])
        let all = try await store.referrers(repo("app"), subject: subject, artifactType: nil)
        #expect(all.map(\.digest) == [fakeDigest(41), fakeDigest(42)])
        #expect(all.first?.annotationsJSON == "{\"k\":\"v\"}")
        #expect(all.first?.size == Int64(manifestRecord("app", 41).bytes.count))
        let signatures = try await store.referrers(repo("app"), subject: subject, artifactType: "sig")
        #expect(signatures.map(\.digest) == [fakeDigest(42)])
        #expect(try await store.referrers(repo("app"), subject: fakeDigest(1), artifactType: nil).isEmpty)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func uploadsAreRecordedTouchedAndListedByAge(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        try await store.createUpload(UploadRecord(id: "u1", repository: repo("app"), createdAt: 100, updatedAt: 100))
        try await store.createUpload(UploadRecord(id: "u2", repository: repo("app"), createdAt: 100, updatedAt: 200))
        #expect(try await store.repositoryExists(repo("app")))
        #expect(try await store.upload(id: "u1")?.repository == repo("app"))
        #expect(try await store.upload(id: "nope") == nil)
        #expect(try await store.uploads(updatedAtOrBefore: 150, limit: 10).map(\.id) == ["u1"])
        try await store.touchUpload(id: "u1", at: 300)
        #expect(try await store.upload(id: "u1")?.updatedAt == 300)
        #expect(try await store.uploads(updatedAtOrBefore: 250, limit: 10).map(\.id) == ["u2"])
        try await store.deleteUpload(id: "u2")
        try await store.deleteUpload(id: "u2")
        #expect(try await store.upload(id: "u2") == nil)
        #expect(try await store.uploads(updatedAtOrBefore: 1_000, limit: 10).map(\.id) == ["u1"])
    }

    @Test(arguments: MetadataStoreFactory.all)
    func concurrentReadsAndWritesAgree(_ factory: MetadataStoreFactory) async throws {
        let store = try await factory.make()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    _ = try await store.putManifest(manifestRecord("app", 100 + index), tag: "t\(index)", requiredBlobs: [])
                    #expect(try await store.manifest(repo("app"), tag: "t\(index)")?.digest == fakeDigest(100 + index))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.tags(repo("app"), after: nil, limit: nil).count == 40)
    }
}

@Suite("SQLite metadata store")
struct SQLiteMetadataStoreTests {
    @Test func reopeningKeepsDataAndSchemaVersion() async throws {
        let path = try temporaryDirectory() + "/metadata.db"
        do {
            let store = try SQLiteMetadataStore(path: path)
            _ = try await store.putManifest(manifestRecord("app", 1), tag: "latest", requiredBlobs: [])
        }
        let reopened = try SQLiteMetadataStore(path: path)
        #expect(try await reopened.schemaVersion() == Migrations.all(for: .sqlite).last?.version)
        #expect(try await reopened.manifest(repo("app"), tag: "latest")?.bytes == manifestRecord("app", 1).bytes)
    }

    @Test func migrationsUseTheDialectsBinaryType() {
        let sqlite = Migrations.all(for: .sqlite).flatMap(\.statements).joined()
        let postgres = Migrations.all(for: .postgres).flatMap(\.statements).joined()
        #expect(sqlite.contains("content BLOB") && !sqlite.contains("BYTEA"))
        #expect(postgres.contains("content BYTEA") && !postgres.contains("BLOB"))
    }
}

extension ManifestPutOutcome {
    func expectStored() { #expect(self == .stored) }
}
