import Glibc
import Synchronization
import BerthCore
import BerthCrypto

/// A `BlobStore` on a local (or shared POSIX) filesystem.
///
/// Layout under `root`: `blobs/<alg>/<first 2 hex>/<hex>` for committed blobs, `uploads/<id>/data` and
/// `uploads/<id>/state` for sessions, `tmp/` for small writes in progress. Blobs appear only by an atomic
/// `rename` after their digest was verified and their bytes and directory entry were flushed, so a crash
/// never exposes a partial blob. All blocking calls run on `BlockingPool`, never on the cooperative pool.
public final class FileSystemBlobStore: BlobStore {
    /// The store's root directory.
    public let root: String
    /// Whether to fsync (tests and throwaway stores may turn it off; production keeps it on).
    let sync: Bool
    let pool: BlockingPool
    /// Upload ids with an append or commit in progress in this process.
    let busyUploads = Mutex<Set<String>>([])
    /// Body bytes gathered before one pool hop writes and hashes them.
    static let batchBytes = 2 * 1024 * 1024

    /// Opens (creating if needed) a store under `root`. `sync: false` skips fsync, for tests only.
    public init(root: String, sync: Bool = true, pool: BlockingPool = .shared) throws {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.sync = sync
        self.pool = pool
        for directory in ["", "/blobs", "/uploads", "/tmp"] {
            try FileIO.makeDirectories(self.root + directory)
        }
        for algorithm in Digest.Algorithm.allCases {
            try FileIO.makeDirectory(self.root + "/blobs/" + algorithm.rawValue)
        }
        try removeOldTemporaryFiles()
    }

    // MARK: Paths

    func blobPath(_ digest: Digest) -> String {
        "\(root)/blobs/\(digest.algorithm.rawValue)/\(digest.hex.prefix(2))/\(digest.hex)"
    }

    func uploadDirectory(_ id: String) -> String { "\(root)/uploads/\(id)" }

    /// True for ids matching `[A-Za-z0-9_-]{1,128}`, so an id can never escape `uploads/`.
    public static func isValidUploadID(_ id: String) -> Bool {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= 128 else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    // MARK: Blobs

    public func size(of digest: Digest) async throws -> Int64? {
        let path = blobPath(digest)
        return try await pool.run { try FileIO.status(path)?.size }
    }

    /// Opens the blob; `range` is clamped to the blob's end and must start within it.
    public func read(_ digest: Digest, range: Range<Int64>?) async throws -> BlobContent {
        let path = blobPath(digest)
        let region = try await pool.run { () throws -> FileRegion in
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT { throw StorageError.notFound }
                throw FileIO.failure("open", path)
            }
            do {
                let size = try FileIO.size(fd, path)
                guard let range else { return FileRegion(fd: fd, offset: 0, length: size) }
                guard range.lowerBound >= 0, range.lowerBound <= size else {
                    throw StorageError.io("range \(range) outside blob of \(size) bytes")
                }
                let upper = min(range.upperBound, size)
                return FileRegion(fd: fd, offset: range.lowerBound, length: upper - range.lowerBound)
            } catch {
                close(fd)
                throw error
            }
        }
        return .file(region)
    }

    public func write(_ bytes: [UInt8], as digest: Digest) async throws {
        let actual = Hashing.digest(of: bytes, algorithm: digest.algorithm)
        guard actual == digest else { throw StorageError.digestMismatch(actual: actual) }
        let path = blobPath(digest)
        let temporary = "\(root)/tmp/\(SecureRandom.hexToken(bytes: 12))"
        try await pool.run { [self] in
            if try FileIO.status(path) != nil { return }
            try self.makeShardDirectory(for: path)
            try FileIO.writeAtomically(bytes, to: path, temporary: temporary, sync: self.sync)
        }
    }

    public func delete(_ digest: Digest) async throws {
        let path = blobPath(digest)
        try await pool.run { try FileIO.remove(path) }
    }

    /// Creates `blobs/<alg>/<xx>` when missing and makes its entry durable.
    func makeShardDirectory(for blobPath: String) throws {
        let shard = FileIO.parent(of: blobPath)
        if try FileIO.makeDirectory(shard), sync {
            try FileIO.fsyncDirectory(FileIO.parent(of: shard))
        }
    }

    /// Deletes leftovers of small writes interrupted by a crash (older than an hour, so that another
    /// process sharing the root is never disturbed mid-write).
    private func removeOldTemporaryFiles() throws {
        let directory = root + "/tmp"
        let now = Int64(time(nil))
        for name in try FileIO.list(directory) {
            let path = directory + "/" + name
            if let status = try FileIO.status(path), now - status.modified > 3600 {
                try FileIO.remove(path)
            }
        }
    }
}
