import Testing
import BerthCore

@Suite struct ReferenceTests {
    @Test(arguments: ["latest", "v1.0.0", "_hidden", "A", "1", "a-b_c.d", "UPPER", String(repeating: "x", count: 128)])
    func acceptsValidTags(tag: String) {
        #expect(Reference.isValidTag(tag))
        #expect(Reference(tag) == .tag(tag))
    }

    @Test(arguments: ["", ".a", "-a", "a/b", "a b", "a+b", "é", "tag!", String(repeating: "x", count: 129)])
    func rejectsInvalidTags(tag: String) {
        #expect(!Reference.isValidTag(tag))
        #expect(Reference(tag) == nil)
    }

    @Test func parsesDigestReferences() throws {
        let text = "sha256:" + String(repeating: "c", count: 64)
        #expect(Reference(text) == .digest(try Digest(parsing: text)))
        #expect(Reference(text)?.description == text)
        #expect(Reference("sha256:short") == nil)
        #expect(Reference("v1:latest") == nil)
    }
}
