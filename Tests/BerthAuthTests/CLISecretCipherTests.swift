import BerthAuth
import BerthCrypto
import Testing

@Suite struct CLISecretCipherTests {
    @Test func sealsAndOpens() {
        let cipher = CLISecretCipher(serverKey: SecureRandom.bytes(32))
        let secret = CLISecretPolicy.generate()
        let sealed = cipher.seal(secret)
        #expect(!sealed.contains(secret))
        #expect(cipher.open(sealed) == secret)
        #expect(cipher.matches(secret, sealed: sealed))
        #expect(!cipher.matches(secret + "x", sealed: sealed))
        #expect(cipher.seal(secret) != sealed, "fresh nonce each time")
    }

    @Test func refusesAnotherKeyAndTampering() {
        let cipher = CLISecretCipher(serverKey: SecureRandom.bytes(32))
        let sealed = cipher.seal("Secret123")
        #expect(CLISecretCipher(serverKey: SecureRandom.bytes(32)).open(sealed) == nil)
        var bytes = Array(sealed.utf8)
        bytes[6] = bytes[6] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(cipher.open(String(decoding: bytes, as: UTF8.self)) == nil)
        #expect(cipher.open("v1.") == nil)
        #expect(cipher.open("garbage") == nil)
    }

    @Test func longSecretsSpanSeveralKeystreamBlocks() {
        let cipher = CLISecretCipher(serverKey: SecureRandom.bytes(32))
        let secret = String(repeating: "Ab1", count: 40)
        #expect(cipher.open(cipher.seal(secret)) == secret)
    }

    @Test func policy() {
        let generated = (0..<20).map { _ in CLISecretPolicy.generate() }
        #expect(Set(generated).count == 20)
        #expect(generated.allSatisfy { $0.count == 32 && CLISecretPolicy.isAcceptable($0) })
        #expect(CLISecretPolicy.isAcceptable("Harbor12345"))
        #expect(!CLISecretPolicy.isAcceptable("short1A"))
        #expect(!CLISecretPolicy.isAcceptable("alllowercase1"))
        #expect(!CLISecretPolicy.isAcceptable("NoDigitsHere"))
    }
}
