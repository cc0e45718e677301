import BerthMetadata
import Dispatch
import Synchronization

/// An `IdentityStore` that remembers, for a few seconds, the two lookups every registry request makes:
/// a project by name and a user's membership in a project. Everything else goes straight to `base`.
///
/// Any change made through this store (projects, their metadata such as `public`, members, users,
/// robots) forgets every cached entry at once, before the change returns, and a lookup that started
/// before a change cannot insert its possibly stale result afterwards (a generation counter). So within
/// one process a removed member or a project turned private loses access immediately; `ttlSeconds` only
/// bounds how long a change made by another process (a cluster node) on the same database can go unseen.
public final class CachingIdentityStore: IdentityStore {
    private struct Timed<Value> { let value: Value; let generation: UInt64; let expiresAt: UInt64 }
    private struct MemberKey: Hashable { let projectID: Int64; let userID: Int64 }
    private struct State {
        var generation: UInt64 = 0
        var projects: [String: Timed<ProjectRecord?>] = [:]
        var members: [MemberKey: Timed<MemberRecord?>] = [:]
    }

    /// The store every call ends up in.
    public let base: any IdentityStore
    /// How long an entry may be served, in nanoseconds.
    public let lifetimeNanoseconds: UInt64
    /// Most entries per kind; a full cache is emptied (cheap, rare, and bounded memory).
    public let capacity: Int
    private let now: @Sendable () -> UInt64
    private let state = Mutex(State())

    /// - Parameter ttlMilliseconds: how long a lookup may be reused (0 turns the cache off).
    /// - Parameter now: a monotonic clock in nanoseconds (tests pass their own).
    public init(base: any IdentityStore, ttlMilliseconds: Int64 = 3_000, capacity: Int = 8_192,
                now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.base = base
        lifetimeNanoseconds = UInt64(max(0, ttlMilliseconds)) * 1_000_000
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Forgets every cached lookup.
    public func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.projects.removeAll(keepingCapacity: true)
            state.members.removeAll(keepingCapacity: true)
        }
    }

    /// The number of cached lookups (projects and memberships).
    public var count: Int { state.withLock { $0.projects.count + $0.members.count } }

    // MARK: Cached lookups

    public func project(named name: String) async throws -> ProjectRecord? {
        guard lifetimeNanoseconds > 0 else { return try await base.project(named: name) }
        let time = now()
        let (hit, generation) = state.withLock { state -> (Timed<ProjectRecord?>?, UInt64) in
            guard let entry = state.projects[name], entry.generation == state.generation, entry.expiresAt > time else {
                return (nil, state.generation)
            }
            return (entry, state.generation)
        }
        if let hit { return hit.value }
        let found = try await base.project(named: name)
        let expiresAt = now() &+ lifetimeNanoseconds
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.projects.count >= capacity { state.projects.removeAll(keepingCapacity: true) }
            state.projects[name] = Timed(value: found, generation: generation, expiresAt: expiresAt)
        }
        return found
    }

    public func member(projectID: Int64, userID: Int64) async throws -> MemberRecord? {
        guard lifetimeNanoseconds > 0 else { return try await base.member(projectID: projectID, userID: userID) }
        let key = MemberKey(projectID: projectID, userID: userID)
        let time = now()
        let (hit, generation) = state.withLock { state -> (Timed<MemberRecord?>?, UInt64) in
            guard let entry = state.members[key], entry.generation == state.generation, entry.expiresAt > time else {
                return (nil, state.generation)
            }
            return (entry, state.generation)
        }
        if let hit { return hit.value }
        let found = try await base.member(projectID: projectID, userID: userID)
        let expiresAt = now() &+ lifetimeNanoseconds
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.members.count >= capacity { state.members.removeAll(keepingCapacity: true) }
            state.members[key] = Timed(value: found, generation: generation, expiresAt: expiresAt)
        }
        return found
    }

    /// Runs a change, then forgets every cached lookup (also when the change failed part way).
    func changing<T>(_ body: () async throws -> T) async throws -> T {
        defer { invalidate() }
        return try await body()
    }
}
