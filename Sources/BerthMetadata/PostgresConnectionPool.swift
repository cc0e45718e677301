import Dispatch
import Synchronization

/// A bounded set of PostgreSQL connections, opened lazily and health-checked when checked out (a
/// connection whose server session is gone is reconnected). Checking one out blocks, on a
/// blocking-pool thread and never the cooperative pool, until one is free.
final class PostgresConnectionPool: Sendable {
    private let url: String
    private let setup: [String]
    private let free = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore

    init(url: String, setup: [String], size: Int) {
        self.url = url
        self.setup = setup
        slots = DispatchSemaphore(value: max(1, size))
    }

    /// Runs `body` with a healthy connection that no other thread uses meanwhile.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let connection: PostgresConnection
        if let idle = free.withLock({ $0.popLast() }) {
            try idle.ensureHealthy()
            connection = idle
        } else {
            connection = try PostgresConnection(url: url, setup: setup)
        }
        defer { free.withLock { $0.append(connection) } }
        return try body(connection)
    }
}
