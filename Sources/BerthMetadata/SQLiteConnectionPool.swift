import Dispatch
import Synchronization

/// A bounded set of reader connections, opened lazily. Checking one out blocks (on a blocking-pool
/// thread, never the cooperative pool) until one is free.
final class SQLiteConnectionPool: Sendable {
    private let path: String
    private let free = Mutex<[SQLiteConnection]>([])
    private let slots: DispatchSemaphore

    init(path: String, size: Int) {
        self.path = path
        slots = DispatchSemaphore(value: size)
    }

    /// Runs `body` with a reader connection that no other thread uses meanwhile.
    func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let connection = try free.withLock { $0.popLast() } ?? SQLiteConnection(path: path, readOnly: true)
        defer { free.withLock { $0.append(connection) } }
        return try body(connection)
    }
}
