#if canImport(Glibc)
import Glibc
#endif

/// Errors reading import files.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(String, Int32)
    case readFailed(String, Int32)
    case tooLarge(String, limit: Int)
    case malformed(String, String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let e): return "cannot open \(p): errno \(e)"
        case .readFailed(let p, let e): return "cannot read \(p): errno \(e)"
        case .tooLarge(let p, let limit): return "\(p): larger than the limit of \(limit) bytes"
        case .malformed(let p, let why): return "\(p): \(why)"
        case .unsupported(let p): return "\(p): not a recognised vulnerability data file"
        }
    }
}

/// A read-only file accessed with `pread`, closed on deinit.
final class InputFile {
    let path: String
    let fd: Int32
    let size: Int

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.cannotOpen(path, errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw ImportError.readFailed(path, e)
        }
        size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// Whether `path` is a directory (following symlinks); nil when it does not exist.
    static func isDirectory(_ path: String) -> Bool? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Reads exactly `count` bytes at `offset` (fewer only at end of file).
    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { buf in
                pread(fd, buf.baseAddress! + done, count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ImportError.readFailed(path, errno)
            }
            if n == 0 { break }
            done += n
        }
        if done < count { out.removeLast(count - done) }
        return out
    }

    /// The whole file, refusing files above `limit` bytes.
    func readAll(limit: Int) throws -> [UInt8] {
        guard size <= limit else { throw ImportError.tooLarge(path, limit: limit) }
        return try read(at: 0, count: size)
    }

    /// Calls `body` with each `\n`-terminated line (without the newline), reading in 1 MiB blocks.
    /// A line longer than `maxLine` bytes is an error.
    func forEachLine(maxLine: Int, _ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
        var offset = 0
        var pending: [UInt8] = []
        var lineNumber = 0
        while offset < size {
            let block = try read(at: offset, count: min(1 << 20, size - offset))
            if block.isEmpty { break }
            offset += block.count
            var start = 0
            while let nl = block[start...].firstIndex(of: 0x0A) {
                lineNumber += 1
                if pending.isEmpty {
                    try body(block[start..<nl], lineNumber)
                } else {
                    pending.append(contentsOf: block[start..<nl])
                    try body(pending[...], lineNumber)
                    pending.removeAll(keepingCapacity: true)
                }
                start = nl + 1
            }
            pending.append(contentsOf: block[start...])
            if pending.count > maxLine { throw ImportError.tooLarge("\(path) line \(lineNumber + 1)", limit: maxLine) }
        }
        if !pending.isEmpty { try body(pending[...], lineNumber + 1) }
    }
}
