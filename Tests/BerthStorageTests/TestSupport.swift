import Glibc
import FoundationEssentials
import BerthCore
import BerthStorage

/// Makes a store over a fresh, empty backing location; calling the returned opener again gives a new
/// store instance over the same location (a "restart").
typealias BlobStoreOpener = @Sendable () throws -> any BlobStore

enum TestData {
    /// Deterministic pseudo-random bytes; `seed` makes different contents.
    static func bytes(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed &* 2_654_435_761 | 1
        var out = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            out[index] = UInt8(truncatingIfNeeded: state)
        }
        return out
    }

    /// Splits `bytes` into pieces of `size`.
    static func chunks(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min(bytes.count, $0 + size)]) }
    }

    /// A body that yields `chunks` and then finishes, or fails with `failure` when given.
    static func body(_ chunks: [[UInt8]], failure: (any Error)? = nil) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish(throwing: failure)
        }
    }
}

/// The error a body throws when its client goes away.
struct ClientGone: Error, Equatable {}

/// Reads a whole `BlobContent`, closing its descriptor.
func readAll(_ content: BlobContent) async throws -> [UInt8] {
    switch content {
    case .file(let region):
        defer { region.close() }
        var out = [UInt8](repeating: 0, count: Int(region.length))
        var done = 0
        while done < out.count {
            let count = out.withUnsafeMutableBytes { raw in
                pread(region.fd, raw.baseAddress! + done, raw.count - done, off_t(region.offset) + off_t(done))
            }
            guard count > 0 else { throw StorageError.io("short read") }
            done += count
        }
        return out
    case .stream(let stream, let length):
        var out: [UInt8] = []
        for try await chunk in stream { out += chunk }
        guard out.count == length else { throw StorageError.io("stream length \(out.count) != \(length)") }
        return out
    }
}

/// A temporary directory removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init() {
        var template = Array("/tmp/berth-storage-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A body that reports when the store first asks it for bytes, then waits to be released: it lets a
/// test act while an append is certainly in progress.
final class GatedBody: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let started: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation
    private let inner: AsyncThrowingStream<[UInt8], any Error>
    let feed: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init() {
        (started, startedContinuation) = AsyncStream<Void>.makeStream()
        (inner, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.Iterator
        let onNext: AsyncStream<Void>.Continuation
        mutating func next() async throws -> [UInt8]? {
            onNext.yield()
            return try await base.next()
        }
    }

    func makeAsyncIterator() -> Iterator { Iterator(base: inner.makeAsyncIterator(), onNext: startedContinuation) }
}
