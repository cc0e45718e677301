import BerthCore
import BerthCrypto
import BerthRegistry
import Testing

@Suite("Blob pushes, uploads and mounts")
struct BlobFlowTests {
    @Test(arguments: BlobBackend.allCases)
    func monolithicPushIsReadableOnlyInItsRepository(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let digest = try await fixture.pushBlob("app", "hello blob")
        #expect(try await fixture.registry.blobSize(repo("app"), digest) == 10)
        let (size, content) = try await fixture.registry.readBlob(repo("app"), digest, range: 6..<10)
        #expect(size == 10)
        #expect(try await collect(content) == Array("blob".utf8))
        let error = await registryError { _ = try await fixture.registry.blobSize(repo("other"), digest) }
        #expect(error?.code == .blobUnknown)
        let rangeError = await registryError { _ = try await fixture.registry.readBlob(repo("app"), digest, range: 5..<11) }
        #expect(rangeError?.status == 416)
    }

    @Test(arguments: BlobBackend.allCases)
    func chunkedPushAssemblesChunksInOrder(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let registry = fixture.registry
        let bytes = Array("first-second-third".utf8)
        let digest = Hashing.digest(of: bytes, algorithm: .sha256)
        let session = try await registry.startUpload(repo("app"))
        #expect(session.offset == 0)
        var status = try await registry.appendUpload(repo("app"), id: session.id, range: 0...5, body: stream(Array(bytes[0..<6])))
        #expect(status.offset == 6)
        status = try await registry.appendUpload(repo("app"), id: session.id, range: nil, body: stream(Array(bytes[6..<13])))
        #expect(try await registry.uploadStatus(repo("app"), id: session.id).offset == 13)
        let size = try await registry.completeUpload(repo("app"), id: session.id, digest: digest,
                                                    finalChunk: stream(Array(bytes[13...])))
        #expect(size == Int64(bytes.count))
        #expect(try await collect(registry.readBlob(repo("app"), digest, range: nil).content) == bytes)
        let gone = await registryError { _ = try await registry.uploadStatus(repo("app"), id: session.id) }
        #expect(gone?.code == .blobUploadUnknown)
    }

    @Test(arguments: BlobBackend.allCases)
    func outOfOrderChunkIsRefusedWith416AndNothingWritten(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let session = try await fixture.registry.startUpload(repo("app"))
        _ = try await fixture.registry.appendUpload(repo("app"), id: session.id, range: 0...2, body: stream([1, 2, 3]))
        let error = await registryError {
            _ = try await fixture.registry.appendUpload(repo("app"), id: session.id, range: 5...7, body: stream([6, 7, 8]))
        }
        #expect(error?.code == .rangeInvalid)
        #expect(error?.status == 416)
        #expect(try await fixture.registry.uploadStatus(repo("app"), id: session.id).offset == 3)
    }

    @Test(arguments: BlobBackend.allCases)
    func digestMismatchIsRefusedAndNothingIsLinked(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let wrong = Hashing.digest(of: Array("other".utf8), algorithm: .sha256)
        let monolithic = await registryError {
            _ = try await fixture.registry.monolithicUpload(repo("app"), digest: wrong, body: stream(Array("data".utf8)))
        }
        #expect(monolithic?.code == .digestInvalid)
        #expect(try await fixture.storedUploads().isEmpty)
        let session = try await fixture.registry.startUpload(repo("app"))
        let chunked = await registryError {
            _ = try await fixture.registry.completeUpload(repo("app"), id: session.id, digest: wrong,
                                                          finalChunk: stream(Array("data".utf8)))
        }
        #expect(chunked?.code == .digestInvalid)
        let unknown = await registryError { _ = try await fixture.registry.blobSize(repo("app"), wrong) }
        #expect(unknown?.code == .blobUnknown)
    }

    @Test(arguments: BlobBackend.allCases)
    func uploadIDsAreBoundToTheirRepository(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let session = try await fixture.registry.startUpload(repo("app"))
        let error = await registryError { _ = try await fixture.registry.uploadStatus(repo("other"), id: session.id) }
        #expect(error?.code == .blobUploadUnknown)
        let append = await registryError {
            _ = try await fixture.registry.appendUpload(repo("other"), id: session.id, range: nil, body: stream([1]))
        }
        #expect(append?.code == .blobUploadUnknown)
        try await fixture.registry.cancelUpload(repo("app"), id: session.id)
        let cancelled = await registryError { _ = try await fixture.registry.uploadStatus(repo("app"), id: session.id) }
        #expect(cancelled?.code == .blobUploadUnknown)
        #expect(try await fixture.storedUploads().isEmpty)
    }

    @Test(arguments: BlobBackend.allCases)
    func mountLinksFromSourceOrAnyRepository(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let registry = fixture.registry
        let digest = try await fixture.pushBlob("source", "shared layer")
        #expect(try await !registry.mount(digest, into: repo("target"), from: repo("elsewhere")))
        #expect(try await registry.mount(digest, into: repo("target"), from: repo("source")))
        #expect(try await registry.blobSize(repo("target"), digest) == 12)
        #expect(try await registry.mount(digest, into: repo("third"), from: nil))
        let unknown = Hashing.digest(of: [9], algorithm: .sha256)
        #expect(try await !registry.mount(unknown, into: repo("third"), from: nil))
    }

    @Test(arguments: BlobBackend.allCases)
    func deleteBlobUnlinksOnlyThatRepository(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let digest = try await fixture.pushBlob("one", "payload")
        _ = try await fixture.registry.mount(digest, into: repo("two"), from: repo("one"))
        try await fixture.registry.deleteBlob(repo("one"), digest)
        let error = await registryError { try await fixture.registry.deleteBlob(repo("one"), digest) }
        #expect(error?.code == .blobUnknown)
        #expect(try await fixture.registry.blobSize(repo("two"), digest) == 7)
    }

    @Test(arguments: BlobBackend.allCases)
    func uploadSurvivesARestart(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let session = try await fixture.registry.startUpload(repo("app"))
        _ = try await fixture.registry.appendUpload(repo("app"), id: session.id, range: 0...3, body: stream(Array("abcd".utf8)))
        let restarted = try await fixture.restarted()
        #expect(try await restarted.uploadStatus(repo("app"), id: session.id).offset == 4)
        _ = try await restarted.appendUpload(repo("app"), id: session.id, range: 4...5, body: stream(Array("ef".utf8)))
        let digest = Hashing.digest(of: Array("abcdef".utf8), algorithm: .sha256)
        #expect(try await restarted.completeUpload(repo("app"), id: session.id, digest: digest) == 6)
        #expect(try await fixture.registry.blobSize(repo("app"), digest) == 6)
    }

    @Test(arguments: BlobBackend.allCases)
    func purgeRemovesStaleSessionsOnly(_ backend: BlobBackend) async throws {
        var configuration = RegistryConfiguration()
        configuration.uploadPurgeAgeSeconds = -1 // everything counts as stale
        let fixture = try await RegistryFixture(backend, configuration: configuration)
        let session = try await fixture.registry.startUpload(repo("app"))
        try await fixture.blobs.startUpload(id: "orphan")
        #expect(try await fixture.registry.purgeStaleUploads() == 2)
        #expect(try await fixture.storedUploads().isEmpty)
        let error = await registryError { _ = try await fixture.registry.uploadStatus(repo("app"), id: session.id) }
        #expect(error?.code == .blobUploadUnknown)

        let patient = try await RegistryFixture(backend)
        let kept = try await patient.registry.startUpload(repo("app"))
        #expect(try await patient.registry.purgeStaleUploads() == 0)
        #expect(try await patient.registry.uploadStatus(repo("app"), id: kept.id).offset == 0)
    }
}
