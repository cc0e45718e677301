import BerthMetadata
import Synchronization

/// How long a portal session lasts without use and how long a registry token is valid: Harbor's
/// `session_timeout` and `token_expiration` settings (in minutes). Administrators change them at run time;
/// they are stored in the database, so every node applies a change, and each node re-reads them at most
/// every `refreshSeconds` (the sessions and tokens already issued keep their expiry).
public final class SecurityTimeouts: Sendable {
    /// The two durations, in seconds.
    public struct Values: Sendable, Equatable {
        public var sessionSeconds: Int64
        public var tokenSeconds: Int64

        public init(sessionSeconds: Int64, tokenSeconds: Int64) {
            self.sessionSeconds = sessionSeconds
            self.tokenSeconds = tokenSeconds
        }
    }

    /// Harbor's defaults: 30 minutes each.
    public static let defaults = Values(sessionSeconds: 1_800, tokenSeconds: 1_800)
    /// The setting names, as Harbor's configuration keys.
    public static let sessionKey = "session_timeout"
    public static let tokenKey = "token_expiration"
    /// Accepted minutes: a session lasts at most a week, a token at most a day.
    public static let sessionMinutes: ClosedRange<Int64> = 1...10_080
    public static let tokenMinutes: ClosedRange<Int64> = 1...1_440

    private let store: (any IdentityStore)?
    private let refreshSeconds: Int64
    private let now: @Sendable () -> Int64
    private let state: Mutex<(values: Values, readAt: Int64?)>

    /// Durations read from `store` (falling back to `initial` for a setting never changed).
    public init(store: any IdentityStore, initial: Values = defaults, refreshSeconds: Int64 = 3,
                now: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.store = store
        self.refreshSeconds = refreshSeconds
        self.now = now
        state = Mutex((initial, nil))
    }

    /// Fixed durations that never change (tests, tools).
    public init(fixed values: Values) {
        store = nil
        refreshSeconds = 0
        now = IdentityClock.now
        state = Mutex((values, 0))
    }

    /// The durations as last read.
    public var current: Values { state.withLock { $0.values } }

    /// Re-reads the stored settings when the last read is older than `refreshSeconds`. A failed read keeps
    /// the values known so far.
    public func refreshIfStale() async {
        guard let store else { return }
        let time = now()
        let due = state.withLock { state -> Bool in
            if let readAt = state.readAt, time - readAt < refreshSeconds { return false }
            state.readAt = time  // one reader at a time refreshes; the others use what is known
            return true
        }
        guard due else { return }
        do {
            let session = try await store.setting(Self.sessionKey).flatMap(Int64.init)
            let token = try await store.setting(Self.tokenKey).flatMap(Int64.init)
            state.withLock { state in
                if let session, Self.sessionMinutes.contains(session) { state.values.sessionSeconds = session * 60 }
                if let token, Self.tokenMinutes.contains(token) { state.values.tokenSeconds = token * 60 }
            }
        } catch {
            state.withLock { $0.readAt = nil }
        }
    }

    /// Stores new durations in minutes (nil leaves one unchanged) and applies them on this node at once.
    public func change(sessionMinutes: Int64?, tokenMinutes: Int64?) async throws {
        guard let store else { throw AuthError.invalidInput("these timeouts are fixed") }
        if let minutes = sessionMinutes, !Self.sessionMinutes.contains(minutes) {
            throw AuthError.invalidInput("session_timeout must be between \(Self.sessionMinutes.lowerBound) and "
                                         + "\(Self.sessionMinutes.upperBound) minutes")
        }
        if let minutes = tokenMinutes, !Self.tokenMinutes.contains(minutes) {
            throw AuthError.invalidInput("token_expiration must be between \(Self.tokenMinutes.lowerBound) and "
                                         + "\(Self.tokenMinutes.upperBound) minutes")
        }
        if let minutes = sessionMinutes { try await store.setSetting(Self.sessionKey, String(minutes)) }
        if let minutes = tokenMinutes { try await store.setSetting(Self.tokenKey, String(minutes)) }
        state.withLock { state in
            if let minutes = sessionMinutes { state.values.sessionSeconds = minutes * 60 }
            if let minutes = tokenMinutes { state.values.tokenSeconds = minutes * 60 }
        }
    }
}
