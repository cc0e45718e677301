import BerthCrypto
import Synchronization

/// Recently verified credentials, keyed by SHA-256 of the credential, so that a Basic or Bearer check
/// on the hot path costs a hash and a dictionary lookup instead of a PBKDF2 run. Bounded (oldest
/// entries go first) and short-lived, so a changed password or a disabled account stops working
/// within `ttlSeconds`.
public final class CredentialCache: Sendable {
    private struct Entry { let principal: Principal; let expiresAt: Int64 }
    private struct State { var entries: [String: Entry] = [:]; var order: [String] = [] }

    private let state = Mutex(State())
    public let capacity: Int
    public let ttlSeconds: Int64
    private let now: @Sendable () -> Int64

    public init(capacity: Int = 10_000, ttlSeconds: Int64 = 30, now: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.capacity = max(1, capacity)
        self.ttlSeconds = ttlSeconds
        self.now = now
    }

    /// The cache key of a credential (never the credential itself).
    public static func key(_ credential: String) -> String {
        Hashing.digest(of: Array(credential.utf8)).hex
    }

    /// The principal cached for `key`, if still fresh.
    public func lookup(_ key: String) -> Principal? {
        let time = now()
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            if entry.expiresAt <= time {
                state.entries[key] = nil
                return nil
            }
            return entry.principal
        }
    }

    /// Remembers `principal` for `key`, for at most `ttlSeconds` (or until `notAfter`, if earlier).
    public func store(_ key: String, _ principal: Principal, notAfter: Int64? = nil) {
        var expiry = now() + ttlSeconds
        if let notAfter { expiry = min(expiry, notAfter) }
        state.withLock { state in
            if state.entries[key] == nil { state.order.append(key) }
            state.entries[key] = Entry(principal: principal, expiresAt: expiry)
            while state.entries.count > capacity, !state.order.isEmpty {
                state.entries[state.order.removeFirst()] = nil
            }
            if state.order.count > capacity * 2 { state.order = state.order.filter { state.entries[$0] != nil } }
        }
    }

    /// Forgets everything (after an admin changes users or robots).
    public func removeAll() {
        state.withLock { $0 = State() }
    }

    /// The number of cached entries.
    public var count: Int { state.withLock { $0.entries.count } }
}
