import Testing
import BerthCore
import BerthCrypto
import BerthStorage
import Synchronization

/// The same conformance checks against the in-memory driver (a "restart" here keeps the same instance,
/// standing in for a driver whose state lives outside the process).
@Suite struct InMemoryBlobStoreTests {
    static func withStore(_ check: (BlobStoreOpener) async throws -> Void) async throws {
        let store = InMemoryBlobStore()
        try await check { store }
    }

    @Test func chunkedUploadAndCommit() async throws { try await Self.withStore(BlobStoreConformance.chunkedUploadAndCommit) }
    @Test func offsetMismatch() async throws { try await Self.withStore(BlobStoreConformance.offsetMismatch) }
    @Test func wrongDigestKeepsUpload() async throws { try await Self.withStore(BlobStoreConformance.wrongDigestKeepsUpload) }
    @Test func resumeAfterRestart() async throws { try await Self.withStore(BlobStoreConformance.resumeAfterRestart) }
    @Test func failedAppendRollsBack() async throws { try await Self.withStore(BlobStoreConformance.failedAppendRollsBack) }
    @Test func concurrentAppendIsRefused() async throws {
        try await Self.withStore(BlobStoreConformance.concurrentAppendIsRefused)
    }
    @Test func visibilityAndIdempotence() async throws {
        try await Self.withStore(BlobStoreConformance.visibilityAndIdempotence)
    }
    @Test func smallWrites() async throws { try await Self.withStore(BlobStoreConformance.smallWrites) }
    @Test func rangeReads() async throws { try await Self.withStore(BlobStoreConformance.rangeReads) }
    @Test func deleteAndCancel() async throws { try await Self.withStore(BlobStoreConformance.deleteAndCancel) }
    @Test func emptyAndSHA512Uploads() async throws { try await Self.withStore(BlobStoreConformance.emptyAndSHA512Uploads) }
    @Test func staleUploads() async throws { try await Self.withStore(BlobStoreConformance.staleUploads) }
    @Test func hostileUploadIDsAreRefused() async throws {
        try await Self.withStore(BlobStoreConformance.hostileUploadIDsAreRefused)
    }

    @Test func staleUsesTheInjectedClock() async throws {
        let now = Mutex(Int64(1000))
        let store = InMemoryBlobStore(clock: { now.withLock { $0 } })
        try await store.startUpload(id: "a")
        #expect(await store.staleUploads(olderThanSeconds: 60).isEmpty)
        now.withLock { $0 = 1100 }
        #expect(await store.staleUploads(olderThanSeconds: 60) == ["a"])
    }
}
