import Glibc
import BerthCore
import BerthCrypto

/// Blocking helpers for upload sessions; call them on `pool` threads only.
extension FileSystemBlobStore {
    /// Marks `id` busy in this process; false when another append or commit holds it.
    func claim(_ id: String) -> Bool {
        busyUploads.withLock { $0.insert(id).inserted }
    }

    func release(_ id: String) {
        busyUploads.withLock { _ = $0.remove(id) }
    }

    func readState(_ id: String) throws -> UploadState {
        let path = uploadDirectory(id) + "/state"
        guard try FileIO.status(path) != nil else { throw StorageError.uploadNotFound }
        guard let state = UploadState(decoding: try FileIO.readFile(path)) else {
            throw StorageError.io("corrupt upload state \(path)")
        }
        return state
    }

    func writeState(_ state: UploadState, id: String) throws {
        let directory = uploadDirectory(id)
        try FileIO.writeAtomically(state.encoded(), to: directory + "/state",
                                   temporary: directory + "/state.tmp", sync: sync)
    }

    /// Opens `data` for writing, locks it against other processes (released by closing), and reconciles it
    /// with `state`: bytes past the acknowledged size were never acknowledged (a crash or failure after
    /// writing them) and are cut off.
    func openSession(_ id: String) throws -> (fd: Int32, state: UploadState) {
        let path = uploadDirectory(id) + "/data"
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { throw StorageError.uploadNotFound }
            throw FileIO.failure("open", path)
        }
        do {
            // Another process (a second node on a shared filesystem) holding the session is a concurrent writer.
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if errno == EWOULDBLOCK { throw StorageError.offsetMismatch(current: try readState(id).size) }
                throw FileIO.failure("flock", path)
            }
            let state = try readState(id)
            let size = try FileIO.size(fd, path)
            if size > state.size { try FileIO.truncate(fd, to: state.size, path) }
            if size < state.size { throw StorageError.io("upload \(id) data is shorter than its state") }
            return (fd, state)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Writes and hashes chunks at the end of the session, on one pool thread.
    func writeBatch(_ chunks: [[UInt8]], fd: Int32, state: UploadState) async throws -> UploadState {
        try await pool.run {
            var next = state
            for chunk in chunks {
                try chunk.withUnsafeBytes { (raw) in
                    try FileIO.pwriteAll(fd, raw, at: next.size)
                    next.hasher.update(raw)
                }
                next.size += Int64(chunk.count)
            }
            return next
        }
    }

    /// Cuts `data` back to the size the persisted state acknowledges.
    func rollBack(_ id: String, fd: Int32) throws {
        let state = try readState(id)
        try FileIO.truncate(fd, to: state.size, uploadDirectory(id) + "/data")
    }

    /// Hashes the first `length` bytes of `fd` with `algorithm`, reading 1 MiB at a time into one buffer.
    func hashFile(_ fd: Int32, length: Int64, algorithm: Digest.Algorithm) throws -> Digest {
        var hasher = ContentHasher(algorithm: algorithm)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while offset < length {
            let want = Int(min(Int64(buffer.count), length - offset))
            let count = try buffer.withUnsafeMutableBytes { (raw) in
                try FileIO.pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: offset)
            }
            guard count > 0 else { throw StorageError.io("upload data ended early") }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += Int64(count)
        }
        return hasher.finalize()
    }
}
