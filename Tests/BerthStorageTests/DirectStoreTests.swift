import Testing
import Glibc
import BerthCore
import BerthCrypto
@testable import BerthStorage

/// `storeBlob`: whole blobs from one body, on the filesystem fast path and the session-based default.
@Suite struct DirectStoreTests {
    static func stores(_ directory: TemporaryDirectory) throws -> [any BlobStore] {
        [try FileSystemBlobStore(root: directory.path + "/store"), InMemoryBlobStore()]
    }

    @Test func storesVerifiedBlobsAndRefusesMismatches() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        for store in try Self.stores(directory) {
            let bytes = TestData.bytes(5 * 1024 * 1024 + 17, seed: 9)
            let digest = Hashing.digest(of: bytes)
            let size = try await store.storeBlob(digest, body: TestData.body(TestData.chunks(bytes, size: 70_000)))
            #expect(size == Int64(bytes.count))
            #expect(try await store.size(of: digest) == Int64(bytes.count))

            let other = TestData.bytes(1000, seed: 10)
            let claimed = Hashing.digest(of: TestData.bytes(1000, seed: 11))
            await #expect(throws: StorageError.digestMismatch(actual: Hashing.digest(of: other))) {
                _ = try await store.storeBlob(claimed, body: TestData.body([other]))
            }
            #expect(try await store.size(of: claimed) == nil)

            let sha512 = Hashing.digest(of: other, algorithm: .sha512)
            #expect(try await store.storeBlob(sha512, body: TestData.body([other])) == 1000)
            #expect(try await store.size(of: sha512) == 1000)
        }
    }

    @Test func failedBodyLeavesNothingBehind() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(root: directory.path + "/store")
        let bytes = TestData.bytes(3 * 1024 * 1024, seed: 3)
        let digest = Hashing.digest(of: bytes)
        await #expect(throws: ClientGone.self) {
            _ = try await store.storeBlob(digest, body: TestData.body(TestData.chunks(bytes, size: 65536), failure: ClientGone()))
        }
        #expect(try await store.size(of: digest) == nil)
        #expect(try FileIO.list(directory.path + "/store/tmp").isEmpty)
    }
}
