import Glibc
import BerthCore

/// Thin, blocking wrappers over the POSIX calls the filesystem store uses. Call them only from
/// `BlockingPool` threads. Every failure becomes `StorageError.io` with the call, path and errno text.
enum FileIO {
    /// An `io` error for the current `errno`.
    static func failure(_ call: String, _ path: String, errno code: Int32 = errno) -> StorageError {
        .io("\(call) \(path): \(String(cString: strerror(code)))")
    }

    /// Opens `path`, retrying on EINTR.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure("open", path) }
        }
    }

    /// Writes all of `bytes` at `offset`, looping over short writes.
    static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let written = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("pwrite", "fd \(fd)")
            }
            done += written
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (0 at end of file).
    static func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        while true {
            let count = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw failure("pread", "fd \(fd)") }
        }
    }

    /// Reads a whole small file.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try chunk.withUnsafeMutableBytes { (buffer) in
                try pread(fd, into: buffer, at: Int64(out.count))
            }
            if count == 0 { return out }
            out.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes `bytes` to `path` atomically and durably: temporary file, fsync, rename, fsync of the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, temporary: String, sync: Bool) throws {
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        do {
            try bytes.withUnsafeBytes { (raw) in try pwriteAll(fd, raw, at: 0) }
            if sync { try fsync(fd, temporary) }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        try rename(temporary, to: path)
        if sync { try fsyncDirectory(parent(of: path)) }
    }

    /// Flushes a file's data to disk.
    static func fsync(_ fd: Int32, _ what: String) throws {
        while Glibc.fdatasync(fd) != 0 {
            if errno != EINTR { throw failure("fdatasync", what) }
        }
    }

    /// Flushes a directory so that entries created or renamed in it survive a crash.
    static func fsyncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw failure("fsync", path) }
        }
    }

    static func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 { throw failure("rename", "\(from) -> \(to)") }
    }

    static func truncate(_ fd: Int32, to size: Int64, _ what: String) throws {
        while ftruncate(fd, off_t(size)) != 0 {
            if errno != EINTR { throw failure("ftruncate", what) }
        }
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure("unlink", path) }
    }

    /// Creates a directory; returns true when it was created, false when it already existed.
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        throw failure("mkdir", path)
    }

    /// Creates `path` and any missing parents.
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            try makeDirectory(current)
        }
    }

    /// File size and modification time (seconds), or nil when it does not exist.
    static func status(_ path: String) throws -> (size: Int64, modified: Int64)? {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure("stat", path)
        }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec))
    }

    /// Size of an open file.
    static func size(_ fd: Int32, _ what: String) throws -> Int64 {
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure("fstat", what) }
        return Int64(info.st_size)
    }

    /// Names in a directory, without `.` and `..`; empty when the directory is missing.
    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw failure("opendir", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a flat directory and the files in it; a missing directory is not an error.
    static func removeFlatDirectory(_ path: String) throws {
        for name in try list(path) { try remove(path + "/" + name) }
        if rmdir(path) != 0 && errno != ENOENT { throw failure("rmdir", path) }
    }

    /// The directory part of `path`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
