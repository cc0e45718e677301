@testable import BerthApp
import BerthCore
import BerthCrypto
import BerthMetadata
import BerthRegistry
import BerthScanner
import BerthStorage
import Foundation
import Glibc
import Testing

/// SBOM artifacts attached through the registry facade: manifest shape, referrers, and replacement of
/// Berth's earlier SBOMs (but not other tools').
@Suite struct SBOMPublisherTests {
    let registry: Registry
    let repository = RepositoryName("proj/app")!

    init() throws {
        var template = Array("/tmp/berth-sbom-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let metadata = try SQLiteMetadataStore(path: directory + "/berth.db")
        registry = Registry(blobs: InMemoryBlobStore(), metadata: metadata, configuration: RegistryConfiguration())
    }

    func upload(_ bytes: [UInt8]) async throws -> Digest {
        let digest = Hashing.digest(of: bytes)
        _ = try await registry.monolithicUpload(repository, digest: digest, body: ByteStream { c in c.yield(bytes); c.finish() })
        return digest
    }

    func pushImage() async throws -> StoredManifest {
        let config = Array("{\"architecture\":\"arm64\",\"os\":\"linux\"}".utf8)
        let layer = Array("not really a tar".utf8)
        let c = try await upload(config), l = try await upload(layer)
        let json = "{\"schemaVersion\":2,\"mediaType\":\"\(MediaType.ociManifest)\",\"config\":{\"mediaType\":"
            + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"\(c)\",\"size\":\(config.count)},\"layers\":"
            + "[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"\(l)\",\"size\":\(layer.count)}]}"
        _ = try await registry.putManifest(repository, reference: .tag("v1"), contentType: MediaType.ociManifest,
                                           bytes: Array(json.utf8))
        return try await registry.manifest(repository, reference: .tag("v1"))
    }

    func referrers(_ subject: Digest) async throws -> [[String: Any]] {
        let bytes = try await registry.referrers(repository, subject: subject, artifactType: nil)
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        return object?["manifests"] as? [[String: Any]] ?? []
    }

    @Test func attachesAReferrerWithTheDocumentAndSubject() async throws {
        let image = try await pushImage()
        let publisher = SBOMPublisher(registry: registry)
        let document = Array("{\"spdxVersion\":\"SPDX-2.3\"}".utf8)
        let digest = try await publisher.publish(repository, subject: image, format: .spdx, document: document,
                                                 created: "2026-01-01T00:00:00Z")
        let stored = try await registry.manifest(repository, reference: .digest(digest))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(stored.bytes)) as? [String: Any])
        #expect(manifest["artifactType"] as? String == "application/spdx+json")
        #expect((manifest["config"] as? [String: Any])?["mediaType"] as? String == "application/vnd.oci.empty.v1+json")
        #expect((manifest["subject"] as? [String: Any])?["digest"] as? String == image.digest.description)
        #expect((manifest["subject"] as? [String: Any])?["size"] as? Int == image.bytes.count)
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        #expect(layers.count == 1 && layers[0]["digest"] as? String == Hashing.digest(of: document).description)
        let listed = try await referrers(image.digest)
        #expect(listed.map { $0["digest"] as? String } == [digest.description])
        // The architecture comes from the image's config.
        #expect(await ScanInventoryReader(registry: registry).architecture(repository, image) == "arm64")
    }

    @Test func regeneratingReplacesOnlyBerthsEarlierSBOMOfThatFormat() async throws {
        let image = try await pushImage()
        let publisher = SBOMPublisher(registry: registry)
        let first = try await publisher.publish(repository, subject: image, format: .spdx, document: Array("{\"n\":1}".utf8),
                                                created: "2026-01-01T00:00:00Z")
        let cdx = try await publisher.publish(repository, subject: image, format: .cycloneDX, document: Array("{}".utf8),
                                              created: "2026-01-01T00:00:00Z")
        // Another tool's SPDX referrer (no created-by Berth) must survive.
        var foreign = publisher.manifestJSON(subject: image, format: .spdx, config: Hashing.digest(of: SBOMPublisher.emptyConfig),
                                             layer: Hashing.digest(of: Array("{\"n\":1}".utf8)), layerSize: 7,
                                             created: "2025-01-01T00:00:00Z")
        foreign = foreign.replacingOccurrences(of: "\"created-by\":\"Berth\"", with: "\"created-by\":\"someone\"")
        let foreignDigest = Hashing.digest(of: Array(foreign.utf8))
        _ = try await registry.putManifest(repository, reference: .digest(foreignDigest), contentType: MediaType.ociManifest,
                                           bytes: Array(foreign.utf8))
        let second = try await publisher.publish(repository, subject: image, format: .spdx, document: Array("{\"n\":2}".utf8),
                                                 created: "2026-01-02T00:00:00Z")
        #expect(second != first)
        let listed = Set(try await referrers(image.digest).compactMap { $0["digest"] as? String })
        #expect(listed == [second.description, cdx.description, foreignDigest.description])
        await #expect(throws: RegistryError.self) { try await registry.manifest(repository, reference: .digest(first)) }
        #expect(try await publisher.newest(repository, subject: image.digest, format: .spdx) == second)
    }
}
