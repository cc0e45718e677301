import BerthCore
import BerthCrypto
@testable import BerthRegistry
import Testing

@Suite("Manifests, tags, catalog and referrers")
struct ManifestTests {
    @Test func manifestBytesAreServedExactlyByTagAndDigest() async throws {
        let fixture = try await RegistryFixture()
        let pushed = try await fixture.pushImage("app", tag: "v1", seed: "a")
        let byTag = try await fixture.registry.manifest(repo("app"), reference: .tag("v1"))
        #expect(byTag.bytes == pushed.bytes)
        #expect(byTag.mediaType == MediaType.ociManifest)
        #expect(byTag.digest == Hashing.digest(of: pushed.bytes, algorithm: .sha256))
        let byDigest = try await fixture.registry.manifest(repo("app"), reference: .digest(pushed.digest))
        #expect(byDigest.bytes == pushed.bytes)
        // Storing the same bytes again is idempotent.
        let again = try await fixture.registry.putManifest(repo("app"), reference: .tag("v1"),
                                                          contentType: MediaType.ociManifest, bytes: pushed.bytes)
        #expect(again.digest == pushed.digest)
    }

    @Test func tagMovesAndCacheFollows() async throws {
        let fixture = try await RegistryFixture()
        let first = try await fixture.pushImage("app", tag: "latest", seed: "a")
        #expect(try await fixture.registry.manifest(repo("app"), reference: .tag("latest")).digest == first.digest)
        let second = try await fixture.pushImage("app", tag: "latest", seed: "b")
        #expect(first.digest != second.digest)
        #expect(try await fixture.registry.manifest(repo("app"), reference: .tag("latest")).digest == second.digest)
        #expect(try await fixture.registry.manifest(repo("app"), reference: .digest(first.digest)).bytes == first.bytes)
    }

    @Test func deleteByTagKeepsManifestAndDeleteByDigestRemovesTags() async throws {
        let fixture = try await RegistryFixture()
        let registry = fixture.registry
        let pushed = try await fixture.pushImage("app", tag: "a", seed: "x")
        _ = try await registry.putManifest(repo("app"), reference: .tag("b"), contentType: nil, bytes: pushed.bytes)
        _ = try await registry.manifest(repo("app"), reference: .tag("a"))
        try await registry.deleteManifest(repo("app"), reference: .tag("a"))
        let tagGone = await registryError { _ = try await registry.manifest(repo("app"), reference: .tag("a")) }
        #expect(tagGone?.code == .manifestUnknown)
        #expect(try await registry.manifest(repo("app"), reference: .digest(pushed.digest)).bytes == pushed.bytes)
        try await registry.deleteManifest(repo("app"), reference: .digest(pushed.digest))
        #expect(try await registry.tags(repo("app"), limit: nil, after: nil).items == [])
        let digestGone = await registryError { _ = try await registry.manifest(repo("app"), reference: .digest(pushed.digest)) }
        #expect(digestGone?.code == .manifestUnknown)
        let again = await registryError { try await registry.deleteManifest(repo("app"), reference: .tag("b")) }
        #expect(again?.code == .manifestUnknown)
        let noRepo = await registryError { _ = try await registry.manifest(repo("nothing"), reference: .tag("a")) }
        #expect(noRepo?.code == .nameUnknown)
    }

    @Test func tagsAndCatalogPageWithHasMore() async throws {
        let fixture = try await RegistryFixture()
        let pushed = try await fixture.pushImage("app", tag: "t1", seed: "s")
        for tag in ["t3", "t2", "t4"] {
            _ = try await fixture.registry.putManifest(repo("app"), reference: .tag(tag), contentType: nil, bytes: pushed.bytes)
        }
        let first = try await fixture.registry.tags(repo("app"), limit: 2, after: nil)
        #expect(first.items == ["t1", "t2"])
        #expect(first.hasMore)
        let last = try await fixture.registry.tags(repo("app"), limit: 2, after: "t2")
        #expect(last.items == ["t3", "t4"])
        #expect(!last.hasMore)
        #expect(try await fixture.registry.tags(repo("app"), limit: nil, after: nil).items.count == 4)
        let unknown = await registryError { _ = try await fixture.registry.tags(repo("nope"), limit: nil, after: nil) }
        #expect(unknown?.code == .nameUnknown)

        _ = try await fixture.pushBlob("b/two", "x")
        _ = try await fixture.pushBlob("c", "y")
        let catalog = try await fixture.registry.catalog(limit: 2, after: nil)
        #expect(catalog.items == ["app", "b/two"])
        #expect(catalog.hasMore)
        let rest = try await fixture.registry.catalog(limit: 2, after: "b/two")
        #expect(rest.items == ["c"])
        #expect(!rest.hasMore)
    }

    @Test func referrersListsSubjectsFilteredByArtifactType() async throws {
        let fixture = try await RegistryFixture()
        let image = try await fixture.pushImage("app", tag: "v1", seed: "img")
        let signature = try await fixture.pushImage("app", tag: nil, seed: "sig", subject: image.digest,
                                                    artifactType: "application/vnd.example.signature")
        let sbom = try await fixture.pushImage("app", tag: nil, seed: "sbom", subject: image.digest)
        let result = try await fixture.registry.putManifest(
            repo("app"), reference: .digest(signature.digest), contentType: MediaType.ociManifest, bytes: signature.bytes)
        #expect(result.subject == image.digest)

        let all = try JSONParser.parse(try await fixture.registry.referrers(repo("app"), subject: image.digest, artifactType: nil),
                                       maxDepth: 10)
        #expect(all["mediaType"]?.stringValue == MediaType.ociIndex)
        #expect(all["schemaVersion"]?.int64Value == 2)
        let entries = all["manifests"]?.arrayValue ?? []
        #expect(Set(entries.compactMap { $0["digest"]?.stringValue }) == [signature.digest.description, sbom.digest.description])
        let sbomEntry = entries.first { $0["digest"]?.stringValue == sbom.digest.description }
        #expect(sbomEntry?["artifactType"]?.stringValue == MediaType.ociConfig)
        #expect(sbomEntry?["size"]?.int64Value == Int64(sbom.bytes.count))
        #expect(sbomEntry?["annotations"]?["org.opencontainers.image.url"]?.stringValue == "https://example.test/x")

        let filtered = try JSONParser.parse(try await fixture.registry.referrers(
            repo("app"), subject: image.digest, artifactType: "application/vnd.example.signature"), maxDepth: 10)
        #expect(filtered["manifests"]?.arrayValue?.compactMap { $0["digest"]?.stringValue } == [signature.digest.description])
        let none = try JSONParser.parse(try await fixture.registry.referrers(repo("zzz"), subject: image.digest, artifactType: nil),
                                        maxDepth: 10)
        #expect(none["manifests"]?.arrayValue?.isEmpty == true)
    }

    @Test func indexNeedsItsChildrenInTheRepository() async throws {
        let fixture = try await RegistryFixture()
        let child = try await fixture.pushImage("app", tag: nil, seed: "amd64")
        let missing = Hashing.digest(of: Array("absent".utf8), algorithm: .sha256)
        let error = await registryError {
            _ = try await fixture.registry.putManifest(repo("app"), reference: .tag("multi"), contentType: MediaType.ociIndex,
                                                       bytes: indexManifest(children: [child.digest, missing]))
        }
        #expect(error?.code == .manifestBlobUnknown)
        #expect(error?.detailJSON?.contains(missing.description) == true)
        let stored = try await fixture.registry.putManifest(repo("app"), reference: .tag("multi"), contentType: nil,
                                                           bytes: indexManifest(children: [child.digest]))
        #expect(try await fixture.registry.manifest(repo("app"), reference: .tag("multi")).mediaType == MediaType.ociIndex)
        #expect(stored.subject == nil)
    }

    @Test func foreignLayersAreNotRequired() async throws {
        let fixture = try await RegistryFixture()
        let config = try await fixture.pushBlob("app", "{}")
        let foreign = Hashing.digest(of: Array("windows base".utf8), algorithm: .sha256)
        let bytes = imageManifest(config: config, layers: [foreign],
                                  layerType: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")
        _ = try await fixture.registry.putManifest(repo("app"), reference: .tag("win"), contentType: nil, bytes: bytes)
        #expect(try await fixture.registry.manifest(repo("app"), reference: .tag("win")).bytes == bytes)
    }
}
