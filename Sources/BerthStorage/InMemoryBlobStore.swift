import Glibc
import BerthCore
import BerthCrypto

/// A `BlobStore` in memory, for tests of the layers above storage and for throwaway registries.
/// It follows the same contract as `FileSystemBlobStore` (it passes the same conformance checks) but
/// nothing survives the process.
public actor InMemoryBlobStore: BlobStore {
    private var blobs: [Digest: [UInt8]] = [:]
    private var uploads: [String: Upload] = [:]
    private var busy: Set<String> = []
    private let clock: @Sendable () -> Int64

    private struct Upload {
        var bytes: [UInt8] = []
        var hasher = ContentHasher(algorithm: .sha256)
        var changed: Int64
    }

    /// Creates an empty store; `clock` gives the current time in seconds (for `staleUploads`).
    public init(clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) {
        self.clock = clock
    }

    public func size(of digest: Digest) -> Int64? { blobs[digest].map { Int64($0.count) } }

    public func read(_ digest: Digest, range: Range<Int64>?) throws -> BlobContent {
        guard let bytes = blobs[digest] else { throw StorageError.notFound }
        let size = Int64(bytes.count)
        var slice = bytes[...]
        if let range {
            guard range.lowerBound >= 0, range.lowerBound <= size else {
                throw StorageError.io("range \(range) outside blob of \(size) bytes")
            }
            slice = bytes[Int(range.lowerBound)..<Int(min(range.upperBound, size))]
        }
        let chunk = Array(slice)
        return .stream(ByteStream { $0.yield(chunk); $0.finish() }, length: Int64(chunk.count))
    }

    public func write(_ bytes: [UInt8], as digest: Digest) throws {
        let actual = Hashing.digest(of: bytes, algorithm: digest.algorithm)
        guard actual == digest else { throw StorageError.digestMismatch(actual: actual) }
        blobs[digest] = bytes
    }

    public func delete(_ digest: Digest) { blobs[digest] = nil }

    public func startUpload(id: String) throws {
        guard FileSystemBlobStore.isValidUploadID(id) else { throw StorageError.io("invalid upload id") }
        guard uploads[id] == nil else { throw StorageError.io("upload \(id) already exists") }
        uploads[id] = Upload(changed: clock())
    }

    public func appendUpload(id: String, expectedOffset: Int64?,
                             body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        guard let start = uploads[id] else { throw StorageError.uploadNotFound }
        let current = Int64(start.bytes.count)
        guard !busy.contains(id) else { throw StorageError.offsetMismatch(current: current) }
        if let expectedOffset, expectedOffset != current { throw StorageError.offsetMismatch(current: current) }
        busy.insert(id)
        defer { busy.remove(id) }
        var received: [[UInt8]] = []
        for try await chunk in body { received.append(chunk) }
        try Task.checkCancellation()
        guard var upload = uploads[id] else { throw StorageError.uploadNotFound }
        for chunk in received {
            upload.bytes += chunk
            upload.hasher.update(chunk)
        }
        upload.changed = clock()
        uploads[id] = upload
        return Int64(upload.bytes.count)
    }

    public func uploadSize(id: String) throws -> Int64 {
        guard let upload = uploads[id] else { throw StorageError.uploadNotFound }
        return Int64(upload.bytes.count)
    }

    public func commitUpload(id: String, expected: Digest) throws -> Int64 {
        guard let upload = uploads[id] else { throw StorageError.uploadNotFound }
        guard !busy.contains(id) else { throw StorageError.offsetMismatch(current: Int64(upload.bytes.count)) }
        let actual = expected.algorithm == .sha256
            ? upload.hasher.finalize() : Hashing.digest(of: upload.bytes, algorithm: expected.algorithm)
        guard actual == expected else { throw StorageError.digestMismatch(actual: actual) }
        if blobs[expected] == nil { blobs[expected] = upload.bytes }
        uploads[id] = nil
        return Int64(upload.bytes.count)
    }

    public func cancelUpload(id: String) { uploads[id] = nil }

    public func staleUploads(olderThanSeconds seconds: Int64) -> [String] {
        let now = clock()
        return uploads.filter { now - $0.value.changed > seconds }.keys.sorted()
    }
}
