/// Why a layer (and so the scan of its image) was rejected. Each case carries enough context for
/// an operator to see what was wrong.
public enum LayerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Decompressed bytes exceeded a bound (`scope` is `layer` or `image`): likely a decompression bomb.
    case decompressedSizeExceeded(scope: String, limit: Int64)
    /// The compressed stream is corrupt or truncated.
    case corruptCompression(String)
    /// The tar stream is malformed.
    case malformedTar(String)
    /// More entries than allowed.
    case tooManyEntries(limit: Int)
    /// A path longer or deeper than allowed.
    case pathTooLong(String)
    /// An entry path escaping the root with `..`.
    case pathTraversal(String)
    /// An absolute entry path.
    case absolutePath(String)
    /// A metadata file larger than the limit for its kind.
    case fileTooLarge(String, limit: Int)
    /// Collected metadata across the image exceeded the memory bound.
    case collectedBytesExceeded(limit: Int)
    /// The image's symbolic links exceeded the memory bound (`LayerLimits.maxSymlinkBytes`).
    case symlinksExceeded(limit: Int)
    /// Symbolic links looped or chained beyond the hop limit while resolving a path.
    case symlinkLoop(String)
    /// The layer could not be read.
    case readFailed(String)

    public var description: String {
        switch self {
        case .decompressedSizeExceeded(let scope, let limit):
            return "decompressed \(scope) larger than \(limit) bytes (possible decompression bomb)"
        case .corruptCompression(let why): return "corrupt compressed layer: \(why)"
        case .malformedTar(let why): return "malformed tar stream: \(why)"
        case .tooManyEntries(let limit): return "layer has more than \(limit) entries"
        case .pathTooLong(let path): return "entry path too long or too deep: \(path.prefix(200))"
        case .pathTraversal(let path): return "entry path escapes the root with '..': \(path.prefix(200))"
        case .absolutePath(let path): return "absolute entry path: \(path.prefix(200))"
        case .fileTooLarge(let path, let limit): return "file \(path) larger than \(limit) bytes"
        case .collectedBytesExceeded(let limit): return "collected metadata larger than \(limit) bytes"
        case .symlinksExceeded(let limit): return "symbolic links hold more than \(limit) bytes (too many links)"
        case .symlinkLoop(let path): return "symbolic link loop or too many hops resolving \(path)"
        case .readFailed(let why): return "cannot read layer: \(why)"
        }
    }
}
