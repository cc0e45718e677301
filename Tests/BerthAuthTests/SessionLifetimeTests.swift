import BerthAuth
import Testing

/// Session timeout (sliding) and the login lockout with its expiry, on a clock the test moves.
@Suite struct SessionLifetimeTests {
    @Test func idleSessionsExpireAndActiveOnesSlide() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("web")
        let sessions = SessionManager(authenticator: Authenticator(service: f.service), timeoutSeconds: 100)
        let started = try await sessions.login(principal: "web", password: "Passw0rd-web", remoteAddress: "10.0.0.1:1")
        f.clock.advance(60)
        #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil, "used within the timeout")
        f.clock.advance(90)  // 150 s after login: alive only because the use at 60 s extended it
        #expect(try await sessions.resume(cookieValue: started.cookieValue) != nil, "the timeout slides")
        f.clock.advance(101)
        #expect(try await sessions.resume(cookieValue: started.cookieValue) == nil, "idle longer than the timeout")
        #expect(try await sessions.resume(cookieValue: started.cookieValue) == nil, "stays gone")
    }

    @Test func sessionsOfDisabledUsersEnd() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("gone")
        let sessions = SessionManager(authenticator: Authenticator(service: f.service))
        let started = try await sessions.login(principal: "gone", password: "Passw0rd-gone", remoteAddress: "10.0.0.1:1")
        guard var user = try await f.store.user(named: "gone") else { Issue.record("no user"); return }
        user.isDisabled = true
        try await f.store.updateUser(user)
        #expect(try await sessions.resume(cookieValue: started.cookieValue) == nil)
    }

    @Test func lockoutStartsAtTheLimitAndExpires() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("web")
        let throttle = LoginThrottle(maxFailures: 3, windowSeconds: 60, lockSeconds: 300, now: { f.clock.now })
        let sessions = SessionManager(authenticator: Authenticator(service: f.service), throttle: throttle)
        func attempt(_ password: String, from address: String = "10.0.0.2:7") async throws -> Bool {
            (try? await sessions.login(principal: "web", password: password, remoteAddress: address)) != nil
        }
        #expect(!(try await attempt("wrong")))
        #expect(!(try await attempt("wrong")))
        #expect(try await attempt("Passw0rd-web"), "two failures are below the limit")
        for _ in 0..<3 { #expect(!(try await attempt("wrong"))) }
        #expect(throws: AuthError.locked(retryAfter: 300)) { try throttle.check(user: "web", address: "10.0.0.2:9") }
        #expect(!(try await attempt("Passw0rd-web")), "locked even with the right password")
        #expect(try await attempt("Passw0rd-web", from: "10.0.0.3:1"), "another address is not locked")
        f.clock.advance(299)
        #expect(!(try await attempt("Passw0rd-web")), "still locked one second before the end")
        f.clock.advance(2)
        #expect(try await attempt("Passw0rd-web"), "the lock expires")
    }

    @Test func failuresOutsideTheWindowDoNotAddUp() throws {
        let clock = TestClock()
        let throttle = LoginThrottle(maxFailures: 3, windowSeconds: 60, lockSeconds: 300, now: { clock.now })
        throttle.fail(user: "u", address: "1.1.1.1:1")
        throttle.fail(user: "u", address: "1.1.1.1:2")
        clock.advance(61)
        throttle.fail(user: "u", address: "1.1.1.1:3")
        try throttle.check(user: "u", address: "1.1.1.1:4")
        throttle.fail(user: "u", address: "1.1.1.1:5")
        throttle.fail(user: "u", address: "1.1.1.1:6")
        #expect(throws: AuthError.self) { try throttle.check(user: "u", address: "1.1.1.1:7") }
    }

    @Test func basicCredentialsWithAnAddressShareTheLockout() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("ci")
        let throttle = LoginThrottle(maxFailures: 3, windowSeconds: 60, lockSeconds: 120, now: { f.clock.now })
        let authenticator = Authenticator(service: f.service, throttle: throttle)
        let sessions = SessionManager(authenticator: authenticator, throttle: throttle)
        for _ in 0..<3 {
            #expect(try await authenticator.authenticate(name: "ci", secret: "guess", address: "10.0.0.9:5") == nil)
        }
        await #expect(throws: AuthError.locked(retryAfter: 120)) {
            try await authenticator.authenticate(name: "ci", secret: "Passw0rd-ci", address: "10.0.0.9:6")
        }
        // The portal login from that address is locked by the same failures; another address is not.
        await #expect(throws: AuthError.locked(retryAfter: 120)) {
            try await sessions.login(principal: "ci", password: "Passw0rd-ci", remoteAddress: "10.0.0.9:7")
        }
        #expect(try await authenticator.authenticate(name: "ci", secret: "Passw0rd-ci", address: "10.0.0.8:1") != nil)
        // Without an address (internal callers) nothing is counted or refused.
        #expect(try await Authenticator(service: f.service, throttle: throttle)
            .authenticate(name: "ci", secret: "Passw0rd-ci") != nil)
        f.clock.advance(121)
        #expect(try await authenticator.authenticate(name: "ci", secret: "Passw0rd-ci", address: "10.0.0.9:8") != nil)
    }
}
