import BerthAuth
import BerthMetadata
import Testing

/// `Authenticator.cachedPrincipal(authorization:)`: the registry's fast path for a repeated Basic header.
@Suite struct AuthorizationHeaderCacheTests {
    @Test func aVerifiedHeaderIsFoundUntilExpiryOrInvalidation() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("alice")
        let auth = Authenticator(service: f.service, cache: CredentialCache(ttlSeconds: 30, now: { f.clock.now }))
        let header = "Basic YWxpY2U6UGFzc3cwcmQtYWxpY2U="
        #expect(auth.cachedPrincipal(authorization: header) == nil, "nothing verified yet")

        let principal = try await auth.authenticate(name: "alice", secret: "Passw0rd-alice", authorization: header)
        #expect(principal?.name == "alice")
        #expect(auth.cachedPrincipal(authorization: header) == principal)
        #expect(auth.cachedPrincipal(authorization: header + "x") == nil, "another value is not found")
        #expect(auth.cachedPrincipal(authorization: "alice:Passw0rd-alice") == nil, "apart from name:secret keys")

        f.clock.advance(31)
        #expect(auth.cachedPrincipal(authorization: header) == nil, "expired")

        _ = try await auth.authenticate(name: "alice", secret: "Passw0rd-alice", authorization: header)
        #expect(auth.cachedPrincipal(authorization: header) != nil)
        auth.cache.removeAll()
        #expect(auth.cachedPrincipal(authorization: header) == nil, "credentials changed")
    }

    @Test func wrongCredentialsAreNeverCached() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("bob")
        let auth = Authenticator(service: f.service)
        let header = "Basic Ym9iOndyb25n"
        #expect(try await auth.authenticate(name: "bob", secret: "wrong", authorization: header) == nil)
        #expect(auth.cachedPrincipal(authorization: header) == nil)
    }
}
