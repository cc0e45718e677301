import BerthCore
import BerthCrypto
import BerthRegistry
import Testing

@Suite("Manifest validation errors")
struct ManifestValidationTests {
    private func put(_ fixture: RegistryFixture, _ bytes: [UInt8], contentType: String? = MediaType.ociManifest,
                     reference: Reference = .tag("t")) async -> RegistryError? {
        await registryError {
            _ = try await fixture.registry.putManifest(repo("app"), reference: reference, contentType: contentType, bytes: bytes)
        }
    }

    @Test func refusesMalformedManifests() async throws {
        let fixture = try await RegistryFixture()
        let config = try await fixture.pushBlob("app", "{}")
        let valid = String(decoding: imageManifest(config: config, layers: []), as: UTF8.self)
        let cases: [(String, [UInt8], String?)] = [
            ("bad JSON", Array("{\"schemaVersion\": 2,".utf8), MediaType.ociManifest),
            ("not an object", Array("[]".utf8), MediaType.ociManifest),
            ("no schemaVersion", Array("{\"layers\":[]}".utf8), MediaType.ociManifest),
            ("unknown media type", Array(valid.replacingOccurrences(MediaType.ociManifest, "application/vnd.example+json").utf8), nil),
            ("mediaType vs Content-Type", Array(valid.utf8), MediaType.dockerManifest),
            ("no config", Array("{\"schemaVersion\":2,\"layers\":[]}".utf8), MediaType.ociManifest),
            ("bad descriptor digest", Array(valid.replacingOccurrences(config.description, "sha256:abc").utf8), nil),
            ("index without manifests", Array("{\"schemaVersion\":2}".utf8), MediaType.ociIndex),
        ]
        for (name, bytes, contentType) in cases {
            let error = await put(fixture, bytes, contentType: contentType)
            #expect(error?.code == .manifestInvalid, "\(name): \(String(describing: error))")
        }
        #expect(await put(fixture, Array(valid.utf8)) == nil)
    }

    @Test func refusesTooLargeAndTooDeep() async throws {
        var configuration = RegistryConfiguration()
        configuration.maxManifestBytes = 64
        configuration.maxJSONDepth = 4
        let fixture = try await RegistryFixture(configuration: configuration)
        let large = await put(fixture, Array(repeating: UInt8(ascii: " "), count: 65))
        #expect(large?.code == .manifestInvalid)
        #expect(large?.message.contains("limit") == true)
        let deep = await put(fixture, Array("{\"a\":[[[[1]]]]}".utf8))
        #expect(deep?.code == .manifestInvalid)
        #expect(deep?.message.contains("nesting") == true)
    }

    @Test(arguments: [MediaType.dockerSchema1, MediaType.dockerSchema1Signed, nil])
    func refusesSchema1WithAClearMessage(_ contentType: String?) async throws {
        let fixture = try await RegistryFixture()
        let body = "{\"schemaVersion\":1,\"name\":\"app\",\"tag\":\"t\",\"fsLayers\":[]}"
        let error = await put(fixture, Array(body.utf8), contentType: contentType)
        #expect(error?.code == .manifestInvalid)
        #expect(error?.message.contains("schema 1") == true)
    }

    @Test func refusesMissingBlobWithItsDigestInDetail() async throws {
        let fixture = try await RegistryFixture()
        let config = try await fixture.pushBlob("app", "{}")
        let missing = Hashing.digest(of: Array("nope".utf8), algorithm: .sha256)
        let error = await put(fixture, imageManifest(config: config, layers: [missing]))
        #expect(error?.code == .manifestBlobUnknown)
        #expect(error?.detailJSON == "{\"digest\":\"\(missing)\"}")
        let elsewhere = try await fixture.pushBlob("other", "layer")
        let notLinked = await put(fixture, imageManifest(config: config, layers: [elsewhere]))
        #expect(notLinked?.code == .manifestBlobUnknown)
    }

    @Test func refusesDigestMismatchAndInvalidTag() async throws {
        let fixture = try await RegistryFixture()
        let config = try await fixture.pushBlob("app", "{}")
        let bytes = imageManifest(config: config, layers: [])
        let wrong = Hashing.digest(of: bytes + [0x20], algorithm: .sha256)
        #expect(await put(fixture, bytes, reference: .digest(wrong))?.code == .digestInvalid)
        #expect(await put(fixture, bytes, reference: .tag("-bad"))?.code == .tagInvalid)
        let right = Hashing.digest(of: bytes, algorithm: .sha256)
        #expect(await put(fixture, bytes, reference: .digest(right)) == nil)
    }

    @Test func contentTypeParametersAndDockerTypesAreAccepted() async throws {
        let fixture = try await RegistryFixture()
        let config = try await fixture.pushBlob("app", "{}")
        let docker = String(decoding: imageManifest(config: config, layers: []), as: UTF8.self)
            .replacingOccurrences(MediaType.ociManifest, MediaType.dockerManifest)
        #expect(await put(fixture, Array(docker.utf8), contentType: MediaType.dockerManifest + "; charset=utf-8") == nil)
        let stored = try await fixture.registry.manifest(repo("app"), reference: .tag("t"))
        #expect(stored.mediaType == MediaType.dockerManifest)
        let inferred = "{\"schemaVersion\":2,\"config\":\(descriptorJSON(MediaType.ociConfig, config)),\"layers\":[]}"
        #expect(await put(fixture, Array(inferred.utf8), contentType: "application/json", reference: .tag("u")) == nil)
        #expect(try await fixture.registry.manifest(repo("app"), reference: .tag("u")).mediaType == MediaType.ociManifest)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
