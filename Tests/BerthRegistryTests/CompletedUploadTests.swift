import BerthCore
import BerthCrypto
import BerthMetadata
import Testing
@testable import BerthRegistry

/// A completed upload's metadata row is deleted after the response, but the id must be unknown at once.
@Suite struct CompletedUploadTests {
    @Test(arguments: BlobBackend.allCases)
    func aCompletedSessionIsUnknownImmediately(_ backend: BlobBackend) async throws {
        let fixture = try await RegistryFixture(backend)
        let bytes = Array("whole blob in the PUT".utf8)
        let digest = Hashing.digest(of: bytes, algorithm: .sha256)
        for chunked in [false, true] {
            let session = try await fixture.registry.startUpload(repo("app"))
            if chunked {
                _ = try await fixture.registry.appendUpload(repo("app"), id: session.id, range: nil, body: stream(bytes))
                #expect(try await fixture.registry.completeUpload(repo("app"), id: session.id, digest: digest) == Int64(bytes.count))
            } else {
                #expect(try await fixture.registry.completeUpload(repo("app"), id: session.id, digest: digest,
                                                                  finalChunk: stream(bytes)) == Int64(bytes.count))
            }
            #expect(try await fixture.registry.blobSize(repo("app"), digest) == Int64(bytes.count))
            let status = await registryError { _ = try await fixture.registry.uploadStatus(repo("app"), id: session.id) }
            #expect(status?.code == .blobUploadUnknown)
            let again = await registryError {
                _ = try await fixture.registry.completeUpload(repo("app"), id: session.id, digest: digest,
                                                              finalChunk: stream(bytes))
            }
            #expect(again?.code == .blobUploadUnknown, "a second PUT is refused as unknown, not as an internal error")
            let append = await registryError {
                _ = try await fixture.registry.appendUpload(repo("app"), id: session.id, range: nil, body: stream(bytes))
            }
            #expect(append?.code == .blobUploadUnknown)
        }
    }
}
