import BerthCore
import BerthCrypto

/// Byte-level, content-addressed blob storage and in-progress uploads. It knows nothing of
/// repositories: which repository may see which blob is metadata.
///
/// Durability contract: a blob is visible (`size`/`read` succeed) only after its bytes were verified
/// against its digest and made durable (fsync of the data and of the directory entry).
public protocol BlobStore: Sendable {
    /// The size of a stored blob, or nil when it does not exist.
    func size(of digest: Digest) async throws -> Int64?
    /// Opens a blob, optionally a byte range of it. Throws `StorageError.notFound`.
    func read(_ digest: Digest, range: Range<Int64>?) async throws -> BlobContent
    /// Stores small content whose digest the caller already computed; verifies it anyway.
    func write(_ bytes: [UInt8], as digest: Digest) async throws
    /// Deletes a blob; no error when it is already gone.
    func delete(_ digest: Digest) async throws

    /// Creates an empty upload session.
    func startUpload(id: String) async throws
    /// Appends the body to the upload. When `expectedOffset` is given it must equal the current size,
    /// otherwise `StorageError.offsetMismatch(current:)` is thrown and nothing is written. Bytes are hashed
    /// as they arrive and the hash state is persisted with the size, so a restart can resume. A failure in
    /// the middle (client gone) rolls the upload back to its size before the call. Returns the new size.
    func appendUpload(id: String, expectedOffset: Int64?,
                      body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64
    /// Current size of the upload; `StorageError.uploadNotFound` when there is none.
    func uploadSize(id: String) async throws -> Int64
    /// Verifies the upload's digest against `expected` (`StorageError.digestMismatch` otherwise, upload kept),
    /// makes it durable and moves it into the blob store atomically. Returns the blob's size.
    func commitUpload(id: String, expected: Digest) async throws -> Int64
    /// Removes an upload session; no error when it is gone.
    func cancelUpload(id: String) async throws
    /// Stores a whole blob from one body, verified against `expected`; returns its size. A requirement
    /// (with a default below) so that a store's own faster path is used through `any BlobStore` too.
    func storeBlob(_ expected: Digest, body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64
    /// Upload sessions whose last change is older than `seconds`, for purging.
    func staleUploads(olderThanSeconds seconds: Int64) async throws -> [String]
    /// A URL clients may download the blob from directly (a presigned object-store URL), or nil when
    /// the registry serves the bytes itself.
    func redirectURL(for digest: Digest) async throws -> String?
}

/// Errors of the storage layer.
public enum StorageError: Error, Equatable, Sendable {
    case notFound
    case uploadNotFound
    case offsetMismatch(current: Int64)
    case digestMismatch(actual: Digest)
    case io(String)
    case tooLarge
}

extension BlobStore {
    /// Stores serve their bytes themselves unless they say otherwise.
    public func redirectURL(for digest: Digest) async throws -> String? { nil }

    /// Stores a whole blob from one body, verified against `expected`; returns its size. Stores may
    /// override it with a path that skips session bookkeeping. This default goes through a session.
    public func storeBlob(_ expected: Digest,
                          body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        let id = "direct-" + SecureRandom.hexToken(bytes: 12)
        try await startUpload(id: id)
        do {
            _ = try await appendUpload(id: id, expectedOffset: 0, body: body)
            return try await commitUpload(id: id, expected: expected)
        } catch {
            try? await cancelUpload(id: id)
            throw error
        }
    }
}
