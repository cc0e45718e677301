import Synchronization

/// Locks out a `user + address` pair after repeated failed logins: after `maxFailures` failures within
/// `windowSeconds`, further attempts are refused for `lockSeconds`. In memory, per node.
public final class LoginThrottle: Sendable {
    private struct Record { var failures: [Int64] = []; var lockedUntil: Int64 = 0 }
    private let records = Mutex([String: Record]())
    public let maxFailures: Int
    public let windowSeconds: Int64
    public let lockSeconds: Int64
    private let now: @Sendable () -> Int64

    public init(maxFailures: Int = 5, windowSeconds: Int64 = 300, lockSeconds: Int64 = 300,
                now: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.maxFailures = maxFailures
        self.windowSeconds = windowSeconds
        self.lockSeconds = lockSeconds
        self.now = now
    }

    /// Throws `AuthError.locked` while the pair is locked out.
    public func check(user: String, address: String) throws(AuthError) {
        let time = now()
        let until = records.withLock { $0[Self.key(user, address)]?.lockedUntil ?? 0 }
        if until > time { throw .locked(retryAfter: until - time) }
    }

    /// Records a failure; the failure that reaches the limit starts the lock.
    public func fail(user: String, address: String) {
        let time = now()
        records.withLock { records in
            if records.count > 100_000 { records = records.filter { $0.value.lockedUntil > time } }
            var record = records[Self.key(user, address)] ?? Record()
            record.failures = record.failures.filter { $0 > time - windowSeconds } + [time]
            if record.failures.count >= maxFailures {
                record.lockedUntil = time + lockSeconds
                record.failures = []
            }
            records[Self.key(user, address)] = record
        }
    }

    /// Clears the pair after a successful login.
    public func succeed(user: String, address: String) {
        _ = records.withLock { $0.removeValue(forKey: Self.key(user, address)) }
    }

    private static func key(_ user: String, _ address: String) -> String {
        let host = address.lastIndex(of: ":").map { String(address[..<$0]) } ?? address
        return user + "\u{0}" + host
    }
}
