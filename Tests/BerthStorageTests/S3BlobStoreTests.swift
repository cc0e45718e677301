import Testing
import Glibc
import BerthCore
import BerthCrypto
import HTTPClient
@testable import BerthStorage

/// The shared conformance checks against `S3BlobStore` on a real S3-protocol server (moto), started by
/// `scripts/s3-test-server.sh start` and named by `BERTH_TEST_S3_ENDPOINT`. Without it the tests print why
/// they skip.
@Suite(.serialized) struct S3BlobStoreTests {
    static let endpoint = S3Credentials.environment("BERTH_TEST_S3_ENDPOINT")
    static let credentials = S3Credentials(accessKeyID: "berth-test", secretAccessKey: "berth-test-secret")

    /// Runs `check` with an opener over a fresh prefix in the test bucket; prints a skip reason without a server.
    static func withStore(_ check: (BlobStoreOpener) async throws -> Void) async throws {
        guard let endpoint else {
            print("SKIP S3BlobStoreTests: BERTH_TEST_S3_ENDPOINT is unset (start scripts/s3-test-server.sh)")
            return
        }
        let url = "s3://berth-test/run-\(SecureRandom.hexToken(bytes: 6))?endpoint=\(endpoint)&region=us-east-1"
        let first = try S3BlobStore(url: url, credentials: credentials, partSize: 5 << 20)
        _ = try await first.client.call("PUT", key: nil, expected: [200, 409])
        try await check { try S3BlobStore(url: url, credentials: credentials, partSize: 5 << 20) }
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

    /// Several parts, a resumed session on a second instance, a ranged read across a part boundary, a
    /// presigned URL that serves the bytes, and deletion of both pointer and data object.
    @Test func multipartAcrossInstancesAndPresignedRead() async throws {
        try await Self.withStore { open in
            let data = TestData.bytes(11 * 1024 * 1024 + 77, seed: 21)
            let digest = Hashing.digest(of: data)
            let nodeA = try open(), nodeB = try open()
            try await nodeA.startUpload(id: "multi")
            let cut = 6 * 1024 * 1024 + 5
            _ = try await nodeA.appendUpload(id: "multi", expectedOffset: 0,
                                             body: TestData.body(TestData.chunks(Array(data[..<cut]), size: 1 << 20)))
            #expect(try await nodeB.uploadSize(id: "multi") == Int64(cut))
            _ = try await nodeB.appendUpload(id: "multi", expectedOffset: Int64(cut),
                                             body: TestData.body(TestData.chunks(Array(data[cut...]), size: 300_000)))
            #expect(try await nodeA.commitUpload(id: "multi", expected: digest) == Int64(data.count))
            let range: Range<Int64> = 5_242_000..<5_243_000
            #expect(try await readAll(try await nodeB.read(digest, range: range))
                    == Array(data[Int(range.lowerBound)..<Int(range.upperBound)]))
            let store = try #require(nodeA as? S3BlobStore)
            let url = try #require(HTTPClientURL(try await store.presignedURL(for: digest, expires: 300)))
            #expect(url.text.contains("X-Amz-Signature="))
            let response = try await HTTPClient().execute(HTTPClientRequest(method: "GET", url: url))
            #expect(response.status == 200)
            #expect(try await response.collect(limit: 32 << 20) == data)
            #expect(try await store.list(prefix: store.location.key("uploads/")).isEmpty)
            try await nodeB.delete(digest)
            #expect(try await nodeA.size(of: digest) == nil)
            #expect(try await store.list(prefix: store.location.key("data/")).isEmpty)
        }
    }

    /// SHA-512 over a multipart session: a wrong digest keeps the session appendable, the right one commits.
    @Test func sha512OverPartsSurvivesMismatch() async throws {
        try await Self.withStore { open in
            let store = try open()
            let head = TestData.bytes(5 * 1024 * 1024 + 10, seed: 22), more = TestData.bytes(1000, seed: 23)
            try await store.startUpload(id: "s512")
            _ = try await store.appendUpload(id: "s512", expectedOffset: 0, body: TestData.body([head]))
            await #expect(throws: StorageError.digestMismatch(actual: Hashing.digest(of: head, algorithm: .sha512))) {
                try await store.commitUpload(id: "s512", expected: Hashing.digest(of: [1], algorithm: .sha512))
            }
            #expect(try await store.appendUpload(id: "s512", expectedOffset: Int64(head.count), body: TestData.body([more]))
                    == Int64(head.count + more.count))
            let digest = Hashing.digest(of: head + more, algorithm: .sha512)
            #expect(try await store.commitUpload(id: "s512", expected: digest) == Int64(head.count + more.count))
            #expect(try await readAll(try await store.read(digest, range: nil)) == head + more)
        }
    }
}
