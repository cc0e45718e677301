import BerthCore
import BerthCrypto
import BerthStorage
import Glibc
import Synchronization

/// A `BlobStore` test double that keeps everything in memory, following the storage contract.
final class InMemoryBlobStore: BlobStore {
    private struct Upload {
        var bytes: [UInt8] = []
        var updatedAt: Int64
    }

    private struct State {
        var blobs: [Digest: [UInt8]] = [:]
        var uploads: [String: Upload] = [:]
    }

    private let state = Mutex(State())

    func size(of digest: Digest) async throws -> Int64? {
        state.withLock { $0.blobs[digest].map { Int64($0.count) } }
    }

    func read(_ digest: Digest, range: Range<Int64>?) async throws -> BlobContent {
        guard let bytes = state.withLock({ $0.blobs[digest] }) else { throw StorageError.notFound }
        let slice = range.map { Array(bytes[Int($0.lowerBound)..<Int($0.upperBound)]) } ?? bytes
        return .stream(ByteStream { continuation in
            continuation.yield(slice)
            continuation.finish()
        }, length: Int64(slice.count))
    }

    func write(_ bytes: [UInt8], as digest: Digest) async throws {
        let actual = Hashing.digest(of: bytes, algorithm: digest.algorithm)
        guard actual == digest else { throw StorageError.digestMismatch(actual: actual) }
        state.withLock { $0.blobs[digest] = bytes }
    }

    func delete(_ digest: Digest) async throws {
        state.withLock { _ = $0.blobs.removeValue(forKey: digest) }
    }

    func startUpload(id: String) async throws {
        state.withLock { $0.uploads[id] = Upload(updatedAt: Self.now()) }
    }

    func appendUpload(id: String, expectedOffset: Int64?,
                      body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        let current = try await uploadSize(id: id)
        if let expectedOffset, expectedOffset != current { throw StorageError.offsetMismatch(current: current) }
        var received: [UInt8] = []
        for try await chunk in body { received += chunk }
        return try state.withLock { state in
            guard state.uploads[id] != nil else { throw StorageError.uploadNotFound }
            state.uploads[id]!.bytes += received
            state.uploads[id]!.updatedAt = Self.now()
            return Int64(state.uploads[id]!.bytes.count)
        }
    }

    func uploadSize(id: String) async throws -> Int64 {
        guard let upload = state.withLock({ $0.uploads[id] }) else { throw StorageError.uploadNotFound }
        return Int64(upload.bytes.count)
    }

    func commitUpload(id: String, expected: Digest) async throws -> Int64 {
        try state.withLock { state in
            guard let upload = state.uploads[id] else { throw StorageError.uploadNotFound }
            let actual = Hashing.digest(of: upload.bytes, algorithm: expected.algorithm)
            guard actual == expected else { throw StorageError.digestMismatch(actual: actual) }
            state.blobs[expected] = upload.bytes
            state.uploads[id] = nil
            return Int64(upload.bytes.count)
        }
    }

    func cancelUpload(id: String) async throws {
        state.withLock { _ = $0.uploads.removeValue(forKey: id) }
    }

    func staleUploads(olderThanSeconds seconds: Int64) async throws -> [String] {
        let cutoff = Self.now() - seconds
        return state.withLock { $0.uploads.filter { $0.value.updatedAt <= cutoff }.map(\.key) }
    }

    private static func now() -> Int64 { Int64(time(nil)) }
}
