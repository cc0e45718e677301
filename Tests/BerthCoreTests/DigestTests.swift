import Testing
import BerthCore

@Suite struct DigestTests {
    static let hex64 = String(repeating: "ab", count: 32)
    static let hex128 = String(repeating: "0f", count: 64)

    @Test func parsesValidDigests() throws {
        let d256 = try Digest(parsing: "sha256:" + Self.hex64)
        #expect(d256.algorithm == .sha256)
        #expect(d256.hex == Self.hex64)
        #expect(d256.description == "sha256:" + Self.hex64)
        let d512 = try Digest(parsing: "sha512:" + Self.hex128)
        #expect(d512.algorithm == .sha512)
        #expect(d512.hex.count == 128)
    }

    @Test(arguments: [
        "",
        "sha256",
        "sha256:",
        "sha256:" + String(repeating: "AB", count: 32),       // uppercase
        "sha256:" + String(repeating: "a", count: 63),        // too short
        "sha256:" + String(repeating: "a", count: 65),        // too long
        "sha256:" + String(repeating: "g", count: 64),        // not hex
        "sha512:" + String(repeating: "a", count: 64),        // sha512 needs 128
        "SHA256:" + String(repeating: "a", count: 64),        // algorithm is case-sensitive
        ":" + String(repeating: "a", count: 64),
        "sha256:" + String(repeating: "a", count: 63) + " ",
    ])
    func rejectsInvalidDigests(text: String) {
        #expect(Digest.parse(text) == nil)
        #expect(throws: DigestError.self) { try Digest(parsing: text) }
    }

    @Test func unknownAlgorithmIsUnsupported() {
        #expect(throws: DigestError.unsupported("md5")) { try Digest(parsing: "md5:" + String(repeating: "a", count: 32)) }
        #expect(throws: DigestError.unsupported("sha384")) { try Digest(parsing: "sha384:" + Self.hex64) }
    }

    @Test func invalidHexIsInvalidNotUnsupported() {
        #expect(throws: DigestError.invalid("sha256:xyz")) { try Digest(parsing: "sha256:xyz") }
        #expect(throws: DigestError.invalid("nocolon")) { try Digest(parsing: "nocolon") }
    }

    @Test func equalityAndOrdering() throws {
        let a = try Digest(parsing: "sha256:" + String(repeating: "0", count: 64))
        let b = try Digest(parsing: "sha256:" + String(repeating: "1", count: 64))
        #expect(a < b)
        #expect(a == Digest.parse(a.description))
        #expect(Set([a, b, a]).count == 2)
    }

    @Test func parsesFromSubstring() throws {
        let text = "x/sha256:" + Self.hex64
        let digest = try Digest(parsing: text.dropFirst(2))
        #expect(digest.hex == Self.hex64)
    }
}
