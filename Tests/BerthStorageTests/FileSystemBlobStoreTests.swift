import Testing
import Glibc
import Dispatch
import BerthCore
import BerthCrypto
@testable import BerthStorage

/// Runs the shared `BlobStoreConformance` checks against `FileSystemBlobStore`, plus checks of its layout
/// and crash recovery.
@Suite struct FileSystemBlobStoreTests {
    /// Runs `check` with an opener over a fresh temporary root, then removes the root.
    static func withStore(_ check: (BlobStoreOpener) async throws -> Void) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try await check { try FileSystemBlobStore(root: directory.path + "/store") }
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

    @Test func layoutIsContentAddressed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(root: directory.path)
        let digest = Hashing.digest(of: [42])
        try await store.write([42], as: digest)
        let path = "\(directory.path)/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)"
        #expect(try FileIO.status(path)?.size == 1)
        #expect(try FileIO.list(directory.path + "/tmp").isEmpty)
        try await store.startUpload(id: "u")
        #expect(try FileIO.status(directory.path + "/uploads/u/data") != nil)
        #expect(try FileIO.status(directory.path + "/uploads/u/state") != nil)
    }

    /// Bytes written after the last persisted state (a crash mid-append) are cut off on reopen.
    @Test func unacknowledgedBytesAreDroppedAfterCrash() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let acked = TestData.bytes(300_000, seed: 11)
        do {
            let store = try FileSystemBlobStore(root: directory.path)
            try await store.startUpload(id: "crash")
            _ = try await store.appendUpload(id: "crash", expectedOffset: 0, body: TestData.body([acked]))
        }
        let dataPath = directory.path + "/uploads/crash/data"
        let fd = try FileIO.open(dataPath, O_WRONLY)
        try [UInt8](repeating: 0xEE, count: 12345).withUnsafeBytes { try FileIO.pwriteAll(fd, $0, at: 300_000) }
        close(fd)
        #expect(try FileIO.status(dataPath)?.size == 312_345)
        let store = try FileSystemBlobStore(root: directory.path)
        #expect(try await store.uploadSize(id: "crash") == 300_000)
        #expect(try await store.appendUpload(id: "crash", expectedOffset: 300_000, body: TestData.body([[1]])) == 300_001)
        let digest = Hashing.digest(of: acked + [1])
        #expect(try await store.commitUpload(id: "crash", expected: digest) == 300_001)
        #expect(try await store.size(of: digest) == 300_001)
        #expect(try await readAll(try await store.read(digest, range: nil)) == acked + [1])
    }

    /// Leftovers of crashes at other points: a half-written state file, a published upload whose session
    /// was not yet removed, an old temporary small write. None may surface as data.
    @Test func leftoversOfOtherCrashPointsAreHarmless() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let data = TestData.bytes(5000, seed: 13)
        let digest = Hashing.digest(of: data)
        do {
            let store = try FileSystemBlobStore(root: directory.path)
            try await store.startUpload(id: "half")
            _ = try await store.appendUpload(id: "half", expectedOffset: 0, body: TestData.body([data]))
            try await store.startUpload(id: "published")
            _ = try await store.appendUpload(id: "published", expectedOffset: 0, body: TestData.body([data]))
        }
        try FileIO.writeAtomically([1, 2, 3], to: directory.path + "/uploads/half/state.tmp",
                                   temporary: directory.path + "/uploads/half/x", sync: false)
        try FileIO.rename(directory.path + "/uploads/published/data",
                          to: directory.path + "/blobs/sha256/" + String(digest.hex.prefix(2)) + "-tmp-" + digest.hex)
        let leftover = directory.path + "/tmp/old-write"
        try FileIO.writeAtomically([9], to: leftover, temporary: leftover + ".t", sync: false)
        let old = Int(time(nil)) - 7200
        var times = [timespec(tv_sec: old, tv_nsec: 0), timespec(tv_sec: old, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, leftover, &times, 0) == 0)

        let store = try FileSystemBlobStore(root: directory.path)
        #expect(try FileIO.status(leftover) == nil)
        #expect(try await store.size(of: digest) == nil)
        #expect(try await store.uploadSize(id: "half") == 5000)
        await #expect(throws: StorageError.uploadNotFound) { try await store.uploadSize(id: "published") }
        await #expect(throws: StorageError.uploadNotFound) { try await store.commitUpload(id: "published", expected: digest) }
        #expect(try await store.commitUpload(id: "half", expected: digest) == 5000)
        #expect(try await readAll(try await store.read(digest, range: nil)) == data)
        #expect(try await store.staleUploads(olderThanSeconds: -1) == ["published"])
    }

    @Test func cancelledAppendIsNotAcknowledged() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(root: directory.path)
        try await store.startUpload(id: "cancel")
        let gated = GatedBody()
        let append = Task { try await store.appendUpload(id: "cancel", expectedOffset: 0, body: gated) }
        for await _ in gated.started { break }
        gated.feed.yield([1, 2, 3])
        append.cancel()
        gated.feed.finish()
        await #expect(throws: CancellationError.self) { try await append.value }
        #expect(try await store.uploadSize(id: "cancel") == 0)
    }

    /// Two store instances (standing in for two processes or nodes) must not append to one session at once.
    @Test func secondInstanceCannotWriteABusySession() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let nodeA = try FileSystemBlobStore(root: directory.path)
        let nodeB = try FileSystemBlobStore(root: directory.path)
        try await nodeA.startUpload(id: "shared")
        let gated = GatedBody()
        let append = Task { try await nodeA.appendUpload(id: "shared", expectedOffset: 0, body: gated) }
        for await _ in gated.started { break }
        await #expect(throws: StorageError.offsetMismatch(current: 0)) {
            try await nodeB.appendUpload(id: "shared", expectedOffset: 0, body: TestData.body([[1]]))
        }
        gated.feed.yield([4, 5])
        gated.feed.finish()
        #expect(try await append.value == 2)
        #expect(try await nodeB.appendUpload(id: "shared", expectedOffset: 2, body: TestData.body([[6]])) == 3)
        #expect(try await nodeB.commitUpload(id: "shared", expected: Hashing.digest(of: [4, 5, 6])) == 3)
    }

    @Test func hostileIDsCreateNothingOutsideRoot() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(root: directory.path + "/store")
        for id in ["../escape", "../../escape", "..", "x/../../escape"] {
            await #expect(throws: (any Error).self) { try await store.startUpload(id: id) }
        }
        #expect(try FileIO.list(directory.path) == ["store"])
        #expect(try FileIO.list(directory.path + "/store/uploads").isEmpty)
    }

    @Test func agedSessionsAreStale() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(root: directory.path)
        try await store.startUpload(id: "old")
        try await store.startUpload(id: "new")
        let old = Int(time(nil)) - 7200
        var times = [timespec(tv_sec: old, tv_nsec: 0), timespec(tv_sec: old, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, directory.path + "/uploads/old/state", &times, 0) == 0)
        #expect(try await store.staleUploads(olderThanSeconds: 3600) == ["old"])
        #expect(try await store.staleUploads(olderThanSeconds: 10_000).isEmpty)
        // Appending refreshes the session.
        _ = try await store.appendUpload(id: "old", expectedOffset: 0, body: TestData.body([[1]]))
        #expect(try await store.staleUploads(olderThanSeconds: 3600).isEmpty)
    }

    /// Prints (does not assert) the append-and-commit throughput of a 256 MiB upload in 64 KiB chunks.
    @Test(arguments: [true, false])
    func uploadThroughput(sync: Bool) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileSystemBlobStore(root: directory.path, sync: sync)
        let chunk = TestData.bytes(65_536, seed: 12)
        let count = 4096
        let body = AsyncThrowingStream<[UInt8], any Error> { continuation in
            for _ in 0..<count { continuation.yield(chunk) }
            continuation.finish()
        }
        var hasher = ContentHasher(algorithm: .sha256)
        for _ in 0..<count { hasher.update(chunk) }
        let digest = hasher.finalize()
        try await store.startUpload(id: "speed")
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await store.appendUpload(id: "speed", expectedOffset: 0, body: body)
        let size = try await store.commitUpload(id: "speed", expected: digest)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("FileSystemBlobStore upload (sync \(sync)): \(size >> 20) MiB in \(seconds)s = \(Double(size) / seconds / 1e6) MB/s")
        #expect(size == Int64(count * chunk.count))
    }
}
