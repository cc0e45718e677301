import BerthAuth
import BerthCrypto
import Testing

@Suite struct CryptoTests {
    @Test func passwordHashVerifiesOnlyTheRightPassword() {
        let hash = PasswordHasherForTests.fast.hash("Secret123")
        #expect(hash.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(PasswordHasher.verify("Secret123", against: hash))
        #expect(!PasswordHasher.verify("Secret124", against: hash))
        #expect(PasswordHasherForTests.fast.hash("Secret123") != hash, "salted")
        #expect(!PasswordHasher.verify("Secret123", against: "pbkdf2-sha256$1000$zz$zz"))
        #expect(PasswordHasher().iterations >= 600_000)
    }

    @Test func secretHash() {
        let hash = PasswordHasher.hashSecret("robot-secret")
        #expect(PasswordHasher.verify("robot-secret", against: hash))
        #expect(!PasswordHasher.verify("robot-secreT", against: hash))
    }

    @Test func base64RoundTrips() {
        for length in 0..<40 {
            let bytes = SecureRandom.bytes(length)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.urlEncode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("admin:pw".utf8)) == "YWRtaW46cHc=")
        #expect(Base64.decode("a*b") == nil)
    }

    struct Claims: Codable, Equatable { var sub: String; var exp: Int64 }

    @Test func jwtSignsAndVerifies() throws {
        let key = try ECDSAKey.generate()
        let token = try JWT.sign(Claims(sub: "alice", exp: 5), key: key)
        #expect(try JWT.verify(token, as: Claims.self, key: .es256(key)) == Claims(sub: "alice", exp: 5))
        #expect(try JWT.header(of: token).kid == key.keyID)
        let other = try ECDSAKey.generate()
        #expect(throws: JWT.Failure.badSignature) { try JWT.verify(token, as: Claims.self, key: .es256(other)) }
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = Base64.urlEncode(Array("{\"sub\":\"mallory\",\"exp\":5}".utf8))
        #expect(throws: JWT.Failure.badSignature) {
            try JWT.verify(parts.joined(separator: "."), as: Claims.self, key: .es256(key))
        }
    }

    @Test func keySurvivesDERRoundTripAndPublicCoordinates() throws {
        let key = try ECDSAKey.generate()
        let copy = try ECDSAKey(privateKeyDER: key.privateKeyDER)
        let signature = try key.sign(Array("m".utf8))
        #expect(copy.verify(signature, for: Array("m".utf8)))
        let (x, y) = key.coordinates
        let publicOnly = try ECDSAKey(x: x, y: y)
        #expect(publicOnly.verify(signature, for: Array("m".utf8)))
        #expect(!publicOnly.verify(signature, for: Array("n".utf8)))
        #expect(key.keyID.split(separator: ":").count == 12)
    }
}
