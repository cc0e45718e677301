import BerthAuth
import BerthCrypto
import BerthMetadata
import Testing

/// Harbor's `session_timeout` and `token_expiration`: stored in the database, applied by every node that
/// shares it (after its refresh interval), and used for new sessions and tokens.
@Suite struct SecurityTimeoutsTests {
    @Test func aChangeOnOneNodeReachesAnotherAfterItsRefreshInterval() async throws {
        let f = try IdentityFixture()
        let here = SecurityTimeouts(store: f.store, refreshSeconds: 3, now: { f.clock.now })
        let there = SecurityTimeouts(store: f.store, refreshSeconds: 3, now: { f.clock.now })
        await there.refreshIfStale()
        #expect(there.current == SecurityTimeouts.defaults)

        try await here.change(sessionMinutes: 90, tokenMinutes: nil)
        #expect(here.current == .init(sessionSeconds: 5_400, tokenSeconds: 1_800))
        await there.refreshIfStale()
        #expect(there.current.sessionSeconds == 1_800, "read less than 3 s ago: not yet")
        f.clock.advance(3)
        await there.refreshIfStale()
        #expect(there.current == .init(sessionSeconds: 5_400, tokenSeconds: 1_800))

        try await here.change(sessionMinutes: nil, tokenMinutes: 5)
        f.clock.advance(3)
        await there.refreshIfStale()
        #expect(there.current == .init(sessionSeconds: 5_400, tokenSeconds: 300))
    }

    @Test func outOfRangeValuesAreRefusedAndBadStoredOnesIgnored() async throws {
        let f = try IdentityFixture()
        let timeouts = SecurityTimeouts(store: f.store, refreshSeconds: 0, now: { f.clock.now })
        await #expect(throws: AuthError.self) { try await timeouts.change(sessionMinutes: 0, tokenMinutes: nil) }
        await #expect(throws: AuthError.self) { try await timeouts.change(sessionMinutes: nil, tokenMinutes: 1_441) }
        await #expect(throws: AuthError.self) { try await timeouts.change(sessionMinutes: 60, tokenMinutes: -1) }
        #expect(try await f.store.setting(SecurityTimeouts.sessionKey) == nil, "a refused change stores nothing")
        try await f.store.setSetting(SecurityTimeouts.sessionKey, "not a number")
        try await f.store.setSetting(SecurityTimeouts.tokenKey, "999999")
        await timeouts.refreshIfStale()
        #expect(timeouts.current == SecurityTimeouts.defaults)
        await #expect(throws: AuthError.self) {
            try await SecurityTimeouts(fixed: SecurityTimeouts.defaults).change(sessionMinutes: 10, tokenMinutes: 10)
        }
    }

    @Test func newTokensAndSessionsUseTheChangedDurations() async throws {
        let f = try IdentityFixture()
        let alice = try await f.user("alice")
        let timeouts = SecurityTimeouts(store: f.store, refreshSeconds: 3, now: { f.clock.now })
        let tokens = TokenService(key: try ECDSAKey.generate(), timeouts: timeouts, decider: AccessDecider(store: f.store),
                                  now: { f.clock.now })
        #expect(try await tokens.issue(for: alice, scopes: []).expiresIn == 1_800)
        try await timeouts.change(sessionMinutes: 2, tokenMinutes: 7)
        let issued = try await tokens.issue(for: alice, scopes: [])
        #expect(issued.expiresIn == 420)
        #expect(tokens.verify(issued.token)?.exp == f.clock.now + 420)

        let sessions = SessionManager(authenticator: Authenticator(service: f.service), throttle: LoginThrottle(),
                                      timeouts: timeouts)
        let started = try await sessions.login(principal: "alice", password: "Passw0rd-alice", remoteAddress: "10.0.0.1:1")
        f.clock.advance(119)
        #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil)
        f.clock.advance(121)
        #expect(try await sessions.resume(cookieValue: started.cookieValue) == nil, "idle longer than 2 minutes")
    }
}
