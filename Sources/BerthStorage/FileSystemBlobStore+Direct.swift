import Glibc
import BerthCore
import BerthCrypto

extension FileSystemBlobStore {
    /// Stores a whole blob from one body without session bookkeeping: the bytes go to a temporary file
    /// while being hashed, then fdatasync, rename into `blobs/` and an fsync of the directory. Two
    /// flushes per blob instead of a session's six. A mismatch or a failed body leaves nothing behind.
    public func storeBlob(_ expected: Digest,
                          body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        let temporary = "\(root)/tmp/direct-\(SecureRandom.hexToken(bytes: 12))"
        let fd = try await pool.run { try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC) }
        var closed = false
        defer { if !closed { close(fd); unlink(temporary) } }
        var written = DirectWrite(hasher: ContentHasher(algorithm: expected.algorithm), size: 0)
        var inFlight: Task<DirectWrite, any Error>?
        var batch: [[UInt8]] = []
        var batchBytes = 0
        do {
            for try await chunk in body where !chunk.isEmpty {
                batch.append(chunk)
                batchBytes += chunk.count
                guard batchBytes >= Self.batchBytes else { continue }
                if let inFlight { written = try await inFlight.value }
                let chunks = batch, base = written
                inFlight = Task { try await self.writeDirect(chunks, fd: fd, base: base) }
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
            try Task.checkCancellation()
            if let pending = inFlight {
                inFlight = nil
                written = try await pending.value
            }
            if !batch.isEmpty { written = try await writeDirect(batch, fd: fd, base: written) }
        } catch {
            if let inFlight { _ = try? await inFlight.value }
            throw error
        }
        let actual = written.hasher.finalize()
        guard actual == expected else { throw StorageError.digestMismatch(actual: actual) }
        let path = blobPath(expected)
        try await pool.run { [self] in
            if try FileIO.status(path) != nil { return }
            if sync { try FileIO.fsync(fd, temporary) }
            try makeShardDirectory(for: path)
            try FileIO.rename(temporary, to: path)
            if sync { try FileIO.fsyncDirectory(FileIO.parent(of: path)) }
        }
        close(fd)
        unlink(temporary)  // gone already after the rename; left over when the blob existed before
        closed = true
        return written.size
    }

    /// Appends and hashes chunks on one pool thread.
    private func writeDirect(_ chunks: [[UInt8]], fd: Int32, base: DirectWrite) async throws -> DirectWrite {
        try await pool.run {
            var next = base
            for chunk in chunks {
                try chunk.withUnsafeBytes { raw in
                    try FileIO.pwriteAll(fd, raw, at: next.size)
                    next.hasher.update(raw)
                }
                next.size += Int64(chunk.count)
            }
            return next
        }
    }
}

/// Progress of a direct write: the hash and size of the bytes written so far.
struct DirectWrite: Sendable {
    var hasher: ContentHasher
    var size: Int64
}
