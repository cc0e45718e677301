import Glibc

/// A region of an open file to be sent as-is (with `sendfile` by the HTTP server).
/// Whoever receives a `FileRegion` owns `fd` and must close it exactly once.
public struct FileRegion: Sendable {
    public let fd: Int32
    public let offset: Int64
    public let length: Int64

    public init(fd: Int32, offset: Int64, length: Int64) {
        self.fd = fd
        self.offset = offset
        self.length = length
    }

    /// Closes the descriptor; call once when not sending it.
    public func close() { _ = Glibc.close(fd) }
}

/// A stream of byte chunks, used for bodies that are not files.
public typealias ByteStream = AsyncThrowingStream<[UInt8], any Error>

/// The bytes of a blob as storage hands them out.
public enum BlobContent: Sendable {
    /// A file region (filesystem storage); the receiver owns the descriptor.
    case file(FileRegion)
    /// A stream of `length` bytes (object storage).
    case stream(ByteStream, length: Int64)
}
