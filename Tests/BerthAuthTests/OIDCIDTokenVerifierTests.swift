import BerthAuth
import BerthCrypto
import Testing

@Suite struct OIDCIDTokenVerifierTests {
    let provider = OIDCTestProvider()
    let verifier = OIDCIDTokenVerifier(issuer: OIDCTestProvider.issuer, clientID: "berth")
    let now: Int64 = 1_000_010

    func verify(_ token: String, nonce: String = "n1") async throws -> [String: OIDCClaimValue] {
        let cache = OIDCKeyCache(transport: provider)
        return try await verifier.verify(token, nonce: nonce, now: now, keys: cache, jwksURI: OIDCTestProvider.issuer + "/jwks")
    }

    @Test func acceptsAGoodToken() async throws {
        let claims = try await verify(provider.signedToken(nonce: "n1"))
        #expect(claims["sub"]?.text == "user-1")
    }

    @Test func refusesAnotherNonce() async throws {
        await #expect(throws: OIDCError.invalidClaims("nonce")) { _ = try await verify(provider.signedToken(nonce: "n2")) }
    }

    @Test func refusesAFlippedSignatureByte() async throws {
        var token = Array(provider.signedToken(nonce: "n1").utf8)
        let index = token.count - 10
        token[index] = token[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: OIDCError.invalidSignature("signature does not verify")) {
            _ = try await verify(String(decoding: token, as: UTF8.self))
        }
    }

    @Test func refusesAPayloadSwap() async throws {
        let good = provider.signedToken(nonce: "n1").split(separator: ".")
        provider.state.withLock { $0.claims = ["preferred_username": "admin"] }
        let other = provider.signedToken(nonce: "n1").split(separator: ".")
        let forged = [good[0], other[1], good[2]].joined(separator: ".")
        await #expect(throws: OIDCError.invalidSignature("signature does not verify")) { _ = try await verify(forged) }
    }

    @Test func refusesASignatureByAnUnpublishedKey() async throws {
        let stranger = OIDCTestProvider()
        await #expect(throws: OIDCError.invalidSignature("signature does not verify")) {
            _ = try await verify(stranger.signedToken(nonce: "n1"))
        }
    }

    @Test(arguments: ["none", "HS256", "RS512"])
    func refusesOtherAlgorithms(alg: String) async throws {
        await #expect(throws: OIDCError.invalidSignature("algorithm \(alg) not accepted")) {
            _ = try await verify(provider.signedToken(nonce: "n1", algorithmHeader: alg))
        }
    }

    @Test func refusesWrongIssuerAndFutureIat() throws {
        let base: [String: OIDCClaimValue] = ["iss": .string(OIDCTestProvider.issuer), "aud": .array([.string("berth")]),
                                              "sub": .string("s"), "exp": .number(2_000_000), "iat": .number(1_000_000),
                                              "nonce": .string("n1")]
        try verifier.checkClaims(base, nonce: "n1", now: now)
        var wrongIssuer = base
        wrongIssuer["iss"] = .string("https://evil.test")
        #expect(throws: OIDCError.invalidClaims("iss")) { try verifier.checkClaims(wrongIssuer, nonce: "n1", now: now) }
        var future = base
        future["iat"] = .number(Double(now + 3_600))
        #expect(throws: OIDCError.invalidClaims("issued in the future")) { try verifier.checkClaims(future, nonce: "n1", now: now) }
        var otherParty = base
        otherParty["aud"] = .array([.string("berth"), .string("other")])
        otherParty["azp"] = .string("other")
        #expect(throws: OIDCError.invalidClaims("azp")) { try verifier.checkClaims(otherParty, nonce: "n1", now: now) }
        var noExp = base
        noExp["exp"] = nil
        #expect(throws: OIDCError.invalidClaims("exp missing")) { try verifier.checkClaims(noExp, nonce: "n1", now: now) }
    }
}
