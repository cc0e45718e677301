import Dispatch
import Synchronization

/// A small in-process cache of manifest lookups (by tag or digest) for the pull hot path.
///
/// Every put or delete through this process calls `invalidate()`, which bumps a generation so that all
/// earlier entries die at once; a lookup that started before an invalidation cannot insert its (possibly
/// stale) result afterwards. Entries also expire after a short time, which bounds staleness when other
/// processes write to the same database.
final class ManifestCache: Sendable {
    struct Key: Hashable, Sendable {
        let repository: String
        let reference: String
    }

    private struct Entry {
        let manifest: StoredManifest
        let generation: UInt64
        let expiresAt: UInt64
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [Key: Entry] = [:]
    }

    private let state = Mutex(State())
    private let lifetimeNanoseconds: UInt64
    private let capacity: Int

    init(lifetimeMilliseconds: Int64, capacity: Int) {
        lifetimeNanoseconds = UInt64(max(0, lifetimeMilliseconds)) * 1_000_000
        self.capacity = max(0, capacity)
    }

    private var enabled: Bool { lifetimeNanoseconds > 0 && capacity > 0 }

    /// The cached manifest, if fresh.
    func lookup(_ key: Key) -> StoredManifest? {
        guard enabled else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        return state.withLock { state in
            guard let entry = state.entries[key], entry.generation == state.generation, entry.expiresAt > now else {
                return nil
            }
            return entry.manifest
        }
    }

    /// The generation to pass to `store` for a lookup starting now.
    func generation() -> UInt64 { state.withLock { $0.generation } }

    /// Caches a result read from the database, unless an invalidation happened since `generation`.
    func store(_ manifest: StoredManifest, for key: Key, generation: UInt64) {
        guard enabled else { return }
        let expiresAt = DispatchTime.now().uptimeNanoseconds + lifetimeNanoseconds
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(manifest: manifest, generation: generation, expiresAt: expiresAt)
        }
    }

    /// Forgets every entry.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }
}
