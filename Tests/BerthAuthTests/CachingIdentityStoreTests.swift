import BerthAuth
import BerthMetadata
import Synchronization
import Testing

/// The cached project and membership lookups behind every registry request must never serve a grant
/// that was taken away through this process, and must expire for changes made elsewhere.
@Suite struct CachingIdentityStoreTests {
    /// A monotonic clock tests move by hand (nanoseconds).
    final class Nanoclock: Sendable {
        private let value = Mutex<UInt64>(1_000_000_000)
        var now: UInt64 { value.withLock { $0 } }
        func advance(milliseconds: UInt64) { value.withLock { $0 += milliseconds * 1_000_000 } }
    }

    struct Setup {
        let fixture: IdentityFixture
        let cached: CachingIdentityStore
        let clock: Nanoclock
        let decider: AccessDecider
        let admin: Principal
        let dev: Principal
        let devID: Int64

        init() async throws {
            fixture = try IdentityFixture()
            let clock = Nanoclock()
            self.clock = clock
            cached = CachingIdentityStore(base: fixture.store, ttlMilliseconds: 2_000, now: { clock.now })
            decider = AccessDecider(store: cached)
            admin = try await fixture.user("boss", admin: true)
            dev = try await fixture.user("dev")
            guard case .user(let user) = dev else { throw CancellationError() }
            devID = user.id
        }
    }

    @Test func removingAMemberThroughTheStoreEndsAccessAtOnce() async throws {
        let s = try await Setup()
        let service = IdentityService(store: s.cached)
        let project = try await service.createProject(name: "team", creator: s.admin)
        let member = try await service.addMember(projectID: project.id, userID: s.devID, role: .developer)
        #expect(try await s.decider.allows(s.dev, .push, inProjectNamed: "team"))
        #expect(s.cached.count >= 2, "the project and the membership are cached")
        #expect(try await s.cached.removeMember(id: member.id))
        #expect(!(try await s.decider.allows(s.dev, .pull, inProjectNamed: "team")), "no stale grant after removal")
    }

    @Test func roleChangeAndProjectTurningPrivateAreSeenAtOnce() async throws {
        let s = try await Setup()
        let service = IdentityService(store: s.cached)
        let project = try await service.createProject(name: "open", creator: s.admin, isPublic: true)
        #expect(try await s.decider.allows(.anonymous, .pull, inProjectNamed: "open"))
        try await s.cached.setProjectMetadata(projectID: project.id, ["public": "false"])
        #expect(!(try await s.decider.allows(.anonymous, .pull, inProjectNamed: "open")), "private now")

        let member = try await service.addMember(projectID: project.id, userID: s.devID, role: .developer)
        #expect(try await s.decider.allows(s.dev, .push, inProjectNamed: "open"))
        #expect(try await s.cached.updateMemberRole(id: member.id, role: ProjectRole.guest.rawValue))
        #expect(!(try await s.decider.allows(s.dev, .push, inProjectNamed: "open")), "demoted to guest")
        #expect(try await s.decider.allows(s.dev, .pull, inProjectNamed: "open"))

        #expect(try await s.cached.deleteProject(id: project.id))
        #expect(!(try await s.decider.allows(s.admin, .pull, inProjectNamed: "open")), "deleted project")
    }

    @Test func changesMadeElsewhereShowAfterTheLifetime() async throws {
        let s = try await Setup()
        // Another process (or node) writes to the same database, bypassing this cache.
        let elsewhere = IdentityService(store: s.fixture.store)
        let project = try await elsewhere.createProject(name: "shared", creator: s.admin, isPublic: true)
        let member = try await elsewhere.addMember(projectID: project.id, userID: s.devID, role: .developer)
        #expect(try await s.decider.allows(s.dev, .push, inProjectNamed: "shared"))
        #expect(try await s.decider.allows(.anonymous, .pull, inProjectNamed: "shared"))

        #expect(try await s.fixture.store.removeMember(id: member.id))
        try await s.fixture.store.setProjectMetadata(projectID: project.id, ["public": "false"])
        // Within the lifetime the cached answer may still be served ...
        s.clock.advance(milliseconds: 1_500)
        #expect(try await s.decider.allows(s.dev, .push, inProjectNamed: "shared"), "served from the cache")
        // ... and never after it.
        s.clock.advance(milliseconds: 600)
        #expect(!(try await s.decider.allows(s.dev, .push, inProjectNamed: "shared")), "expired: member removed")
        #expect(!(try await s.decider.allows(.anonymous, .pull, inProjectNamed: "shared")), "expired: now private")
    }

    @Test func missingProjectsAreCachedUntilOneIsCreated() async throws {
        let s = try await Setup()
        #expect(try await s.cached.project(named: "later") == nil)
        _ = try await IdentityService(store: s.cached).createProject(name: "later", creator: s.admin)
        #expect(try await s.cached.project(named: "later")?.name == "later")
    }

    @Test func aZeroLifetimeTurnsTheCacheOff() async throws {
        let s = try await Setup()
        let uncached = CachingIdentityStore(base: s.fixture.store, ttlMilliseconds: 0)
        let project = try await IdentityService(store: s.fixture.store).createProject(name: "p", creator: s.admin)
        #expect(try await uncached.project(named: "p")?.id == project.id)
        #expect(uncached.count == 0)
        #expect(try await s.fixture.store.deleteProject(id: project.id))
        #expect(try await uncached.project(named: "p") == nil)
    }
}
