import Glibc
import BerthCore
import BerthCrypto

extension FileSystemBlobStore {
    /// Creates `uploads/<id>` with an empty `data` file and an initial `state`. Ids must match
    /// `[A-Za-z0-9_-]{1,128}` and be new; otherwise `StorageError.io` is thrown.
    public func startUpload(id: String) async throws {
        guard Self.isValidUploadID(id) else { throw StorageError.io("invalid upload id") }
        let directory = uploadDirectory(id)
        try await pool.run { [self] in
            guard try FileIO.makeDirectory(directory) else { throw StorageError.io("upload \(id) already exists") }
            close(try FileIO.open(directory + "/data", O_WRONLY | O_CREAT | O_EXCL))
            // Not flushed: an empty session lost in a crash costs the client one retry, and most sessions
            // are followed at once by an append, which flushes its state.
            try FileIO.writeAtomically(UploadState.empty.encoded(), to: directory + "/state",
                                       temporary: directory + "/state.tmp", sync: false)
        }
    }

    /// Appends the body. A second concurrent writer of the same id gets `offsetMismatch(current:)` with the
    /// acknowledged size. Batches of about 2 MiB are written and hashed in one pool hop each, overlapped
    /// with receiving the next batch. On any failure the data is cut back to the last persisted state.
    public func appendUpload(id: String, expectedOffset: Int64?,
                             body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        guard Self.isValidUploadID(id) else { throw StorageError.uploadNotFound }
        guard claim(id) else { throw StorageError.offsetMismatch(current: try await uploadSize(id: id)) }
        defer { release(id) }
        let (fd, start) = try await pool.run { [self] in try openSession(id) }
        defer { close(fd) }
        if let expectedOffset, expectedOffset != start.size {
            throw StorageError.offsetMismatch(current: start.size)
        }
        var state = start
        var inFlight: Task<UploadState, any Error>?
        var batch: [[UInt8]] = []
        var batchBytes = 0
        do {
            for try await chunk in body where !chunk.isEmpty {
                batch.append(chunk)
                batchBytes += chunk.count
                guard batchBytes >= Self.batchBytes else { continue }
                if let inFlight { state = try await inFlight.value }
                let chunks = batch, base = state
                inFlight = Task { try await self.writeBatch(chunks, fd: fd, state: base) }
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
            // A cancelled task may see its body end early: never acknowledge such a prefix.
            try Task.checkCancellation()
            if let pending = inFlight {
                inFlight = nil
                state = try await pending.value
            }
            if !batch.isEmpty { state = try await writeBatch(batch, fd: fd, state: state) }
            if state.size != start.size {
                let final = state
                try await pool.run { [self] in
                    if sync { try FileIO.fsync(fd, uploadDirectory(id) + "/data") }
                    try writeState(final, id: id)
                }
            }
            return state.size
        } catch {
            if let inFlight { _ = try? await inFlight.value }
            try? await pool.run { [self] in try rollBack(id, fd: fd) }
            throw error
        }
    }

    public func uploadSize(id: String) async throws -> Int64 {
        guard Self.isValidUploadID(id) else { throw StorageError.uploadNotFound }
        return try await pool.run { [self] in
            let size = try readState(id).size
            // A crash between publishing the data and removing the session leaves a state without data.
            guard try FileIO.status(uploadDirectory(id) + "/data") != nil else { throw StorageError.uploadNotFound }
            return size
        }
    }

    /// Verifies and publishes the upload. SHA-256 comes from the persisted hash state; another algorithm
    /// re-reads the data once. On a mismatch the upload is left untouched and can still be appended to.
    public func commitUpload(id: String, expected: Digest) async throws -> Int64 {
        guard Self.isValidUploadID(id) else { throw StorageError.uploadNotFound }
        guard claim(id) else { throw StorageError.offsetMismatch(current: try await uploadSize(id: id)) }
        defer { release(id) }
        return try await pool.run { [self] in
            let (fd, state) = try openSession(id)
            defer { close(fd) }
            let actual = expected.algorithm == .sha256
                ? state.hasher.finalize()
                : try hashFile(fd, length: state.size, algorithm: expected.algorithm)
            guard actual == expected else { throw StorageError.digestMismatch(actual: actual) }
            let directory = uploadDirectory(id)
            let path = blobPath(expected)
            if try FileIO.status(path) == nil {
                if sync { try FileIO.fsync(fd, directory + "/data") }
                try makeShardDirectory(for: path)
                try FileIO.rename(directory + "/data", to: path)
                if sync { try FileIO.fsyncDirectory(FileIO.parent(of: path)) }
            }
            try FileIO.removeFlatDirectory(directory)
            return state.size
        }
    }

    public func cancelUpload(id: String) async throws {
        guard Self.isValidUploadID(id) else { return }
        let directory = uploadDirectory(id)
        try await pool.run { try FileIO.removeFlatDirectory(directory) }
    }

    /// Sessions whose `state` (or, when it is missing, directory) was last changed more than `seconds` ago.
    public func staleUploads(olderThanSeconds seconds: Int64) async throws -> [String] {
        let uploads = root + "/uploads"
        return try await pool.run {
            let now = Int64(time(nil))
            var stale: [String] = []
            for name in try FileIO.list(uploads) where Self.isValidUploadID(name) {
                let directory = uploads + "/" + name
                guard let changed = try FileIO.status(directory + "/state")?.modified
                        ?? FileIO.status(directory)?.modified else { continue }
                if now - changed > seconds { stale.append(name) }
            }
            return stale.sorted()
        }
    }
}
