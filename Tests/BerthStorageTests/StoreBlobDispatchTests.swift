import BerthCore
import BerthCrypto
import Synchronization
import Testing
@testable import BerthStorage

/// `storeBlob` is a `BlobStore` requirement, so the registry, which holds an `any BlobStore`, gets the
/// filesystem's session-free fast path and not the protocol extension's session-based default.
@Suite struct StoreBlobDispatchTests {
    /// A body that, before handing out its second chunk, counts the upload sessions on disk.
    struct ProbingBody: AsyncSequence, Sendable {
        let chunks: [[UInt8]]
        let probe: @Sendable () -> Void

        struct AsyncIterator: AsyncIteratorProtocol {
            let chunks: [[UInt8]]
            let probe: @Sendable () -> Void
            var index = 0
            mutating func next() async throws -> [UInt8]? {
                guard index < chunks.count else { return nil }
                if index == 1 { probe() }
                index += 1
                return chunks[index - 1]
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks, probe: probe) }
    }

    @Test func theFilesystemFastPathIsUsedThroughTheProtocol() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store: any BlobStore = try FileSystemBlobStore(root: directory.path + "/store")
        let bytes = TestData.bytes(300_000, seed: 5)
        let digest = Hashing.digest(of: bytes)
        let sessionsSeen = Mutex<Int?>(nil)
        let body = ProbingBody(chunks: TestData.chunks(bytes, size: 100_000)) {
            let count = (try? FileIO.list(directory.path + "/store/uploads").count) ?? 0
            sessionsSeen.withLock { $0 = count }
        }
        #expect(try await store.storeBlob(digest, body: body) == Int64(bytes.count))
        #expect(try await store.size(of: digest) == Int64(bytes.count))
        #expect(sessionsSeen.withLock { $0 } == 0, "no upload session while a whole blob streams in")
    }
}
