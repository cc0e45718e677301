import Testing
import BerthCore
import BerthCrypto
import BerthStorage

/// Behaviour every `BlobStore` driver must have. Each check takes an opener over a fresh location, so a
/// future S3 driver can run the same checks from its own `@Suite`.
enum BlobStoreConformance {
    static func chunkedUploadAndCommit(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let data = TestData.bytes(5 * 1024 * 1024 + 333)
        let digest = Hashing.digest(of: data)
        try await store.startUpload(id: "up-1")
        #expect(try await store.uploadSize(id: "up-1") == 0)
        let first = Array(data[..<100_000]), rest = Array(data[100_000...])
        let afterFirst = try await store.appendUpload(id: "up-1", expectedOffset: 0, body: TestData.body([first]))
        #expect(afterFirst == 100_000)
        let afterRest = try await store.appendUpload(
            id: "up-1", expectedOffset: 100_000, body: TestData.body(TestData.chunks(rest, size: 65_536)))
        #expect(afterRest == Int64(data.count))
        #expect(try await store.uploadSize(id: "up-1") == Int64(data.count))
        #expect(try await store.size(of: digest) == nil)
        #expect(try await store.commitUpload(id: "up-1", expected: digest) == Int64(data.count))
        #expect(try await store.size(of: digest) == Int64(data.count))
        #expect(try await readAll(try await store.read(digest, range: nil)) == data)
        await #expect(throws: StorageError.uploadNotFound) { try await store.uploadSize(id: "up-1") }
    }

    static func offsetMismatch(_ open: BlobStoreOpener) async throws {
        let store = try open()
        try await store.startUpload(id: "off")
        _ = try await store.appendUpload(id: "off", expectedOffset: nil, body: TestData.body([[1, 2, 3]]))
        await #expect(throws: StorageError.offsetMismatch(current: 3)) {
            try await store.appendUpload(id: "off", expectedOffset: 0, body: TestData.body([[9]]))
        }
        await #expect(throws: StorageError.offsetMismatch(current: 3)) {
            try await store.appendUpload(id: "off", expectedOffset: 4, body: TestData.body([[9]]))
        }
        #expect(try await store.uploadSize(id: "off") == 3)
        #expect(try await store.appendUpload(id: "off", expectedOffset: 3, body: TestData.body([[4]])) == 4)
        #expect(try await store.commitUpload(id: "off", expected: Hashing.digest(of: [1, 2, 3, 4])) == 4)
    }

    static func wrongDigestKeepsUpload(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let data = TestData.bytes(70_000, seed: 2)
        try await store.startUpload(id: "wrong")
        _ = try await store.appendUpload(id: "wrong", expectedOffset: 0, body: TestData.body([data]))
        let other = Hashing.digest(of: [0])
        await #expect(throws: StorageError.digestMismatch(actual: Hashing.digest(of: data))) {
            try await store.commitUpload(id: "wrong", expected: other)
        }
        #expect(try await store.size(of: other) == nil)
        #expect(try await store.uploadSize(id: "wrong") == 70_000)
        // The hash state survived the failed commit: more bytes can follow and the final digest is right.
        _ = try await store.appendUpload(id: "wrong", expectedOffset: 70_000, body: TestData.body([[7, 7]]))
        let full = data + [7, 7]
        #expect(try await store.commitUpload(id: "wrong", expected: Hashing.digest(of: full)) == 70_002)
        #expect(try await readAll(try await store.read(Hashing.digest(of: full), range: nil)) == full)
    }

    static func resumeAfterRestart(_ open: BlobStoreOpener) async throws {
        let data = TestData.bytes(3 * 1024 * 1024 + 5, seed: 3)
        let cut = 1_234_567
        do {
            let store = try open()
            try await store.startUpload(id: "resume")
            _ = try await store.appendUpload(id: "resume", expectedOffset: 0,
                                             body: TestData.body(TestData.chunks(Array(data[..<cut]), size: 40_000)))
        }
        let restarted = try open()
        #expect(try await restarted.uploadSize(id: "resume") == Int64(cut))
        _ = try await restarted.appendUpload(id: "resume", expectedOffset: Int64(cut),
                                             body: TestData.body([Array(data[cut...])]))
        let digest = Hashing.digest(of: data)
        #expect(try await restarted.commitUpload(id: "resume", expected: digest) == Int64(data.count))
        #expect(try await readAll(try await restarted.read(digest, range: nil)) == data)
    }

    static func failedAppendRollsBack(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let head = TestData.bytes(1000, seed: 4)
        try await store.startUpload(id: "roll")
        _ = try await store.appendUpload(id: "roll", expectedOffset: 0, body: TestData.body([head]))
        // More than one batch is written before the client disappears.
        let lost = TestData.chunks(TestData.bytes(5 * 1024 * 1024, seed: 5), size: 65_536)
        await #expect(throws: ClientGone.self) {
            try await store.appendUpload(id: "roll", expectedOffset: 1000, body: TestData.body(lost, failure: ClientGone()))
        }
        #expect(try await store.uploadSize(id: "roll") == 1000)
        let tail = TestData.bytes(500, seed: 6)
        #expect(try await store.appendUpload(id: "roll", expectedOffset: 1000, body: TestData.body([tail])) == 1500)
        let digest = Hashing.digest(of: head + tail)
        #expect(try await store.commitUpload(id: "roll", expected: digest) == 1500)
        #expect(try await readAll(try await store.read(digest, range: nil)) == head + tail)
    }

    static func concurrentAppendIsRefused(_ open: BlobStoreOpener) async throws {
        let store = try open()
        try await store.startUpload(id: "busy")
        let gated = GatedBody()
        let first = Task { try await store.appendUpload(id: "busy", expectedOffset: 0, body: gated) }
        for await _ in gated.started { break }
        await #expect(throws: StorageError.offsetMismatch(current: 0)) {
            try await store.appendUpload(id: "busy", expectedOffset: 0, body: TestData.body([[1]]))
        }
        await #expect(throws: StorageError.offsetMismatch(current: 0)) {
            try await store.commitUpload(id: "busy", expected: Hashing.digest(of: []))
        }
        gated.feed.yield([5, 6, 7])
        gated.feed.finish()
        #expect(try await first.value == 3)
        #expect(try await store.appendUpload(id: "busy", expectedOffset: 3, body: TestData.body([[8]])) == 4)
    }
}
