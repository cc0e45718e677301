import Dispatch
import Synchronization

/// A fixed pool of threads for blocking work (fsync, large file writes, SQLite), so that it never
/// occupies Swift's cooperative pool, which is only as wide as the core count.
public final class BlockingPool: Sendable {
    /// The process-wide pool used by storage and metadata.
    public static let shared = BlockingPool(threads: 16)

    private let queue: DispatchQueue
    private let semaphore: DispatchSemaphore

    public init(threads: Int) {
        queue = DispatchQueue(label: "berth.blocking", attributes: .concurrent)
        semaphore = DispatchSemaphore(value: threads)
    }

    /// Runs `body` on a pool thread and resumes with its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [semaphore] in
                semaphore.wait()
                defer { semaphore.signal() }
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
