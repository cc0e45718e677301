import Testing
@testable import BerthScanner

/// `LayerPath`'s byte-level fast paths agree with the plain `Character`-based definitions.
@Suite struct LayerPathTests {
    /// The definition: split on "/", drop empty and "." components, refuse "..", join.
    static func reference(_ raw: String, limits: LayerLimits) throws -> String {
        guard raw.utf8.count <= limits.maxPathLength else { throw LayerError.pathTooLong(raw) }
        var parts: [String] = []
        for c in raw.split(separator: "/", omittingEmptySubsequences: true) where c != "." {
            guard c != ".." else { throw LayerError.pathTraversal(raw) }
            parts.append(String(c))
        }
        guard parts.count <= limits.maxPathDepth else { throw LayerError.pathTooLong(raw) }
        return parts.joined(separator: "/")
    }

    static let samples = [
        "etc/os-release", "/etc/os-release", "./etc/os-release", "etc//os-release", "etc/os-release/", "etc/./x",
        "a", ".", "..", "", "/", "a/..", "../a", "a/../b", ".a/..b/...", "a/.b", "..a", "a/b./c", "./", "//",
        "usr/lib/python3/dist-packages/x.dist-info/METADATA", "caf\u{E9}/x", "a/\u{301}b", "a/\u{301}/..",
        "\u{301}/etc", "x/\r\n/y", String(repeating: "d/", count: 10) + "f",
    ]

    @Test(arguments: samples)
    func normalizeMatchesTheDefinition(raw: String) {
        var limits = LayerLimits()
        limits.maxPathDepth = 8
        let expected = Result { try Self.reference(raw, limits: limits) }
        let actual = Result { try LayerPath.normalize(raw, limits: limits) }
        switch (expected, actual) {
        case (.success(let e), .success(let a)): #expect(e == a)
        case (.failure(let e as LayerError), .failure(let a as LayerError)): #expect(e == a)
        default: Issue.record("\(raw.debugDescription): expected \(expected), got \(actual)")
        }
    }

    @Test(arguments: samples)
    func nameParentAndAncestorsMatchTheDefinition(raw: String) {
        let slash = raw.lastIndex(of: "/")
        #expect(LayerPath.name(raw) == (slash.map { raw[raw.index(after: $0)...] } ?? Substring(raw)))
        #expect(LayerPath.parent(raw) == (slash.map { String(raw[..<$0]) } ?? ""))
        var expected: [String] = []
        var current = raw
        while let s = current.lastIndex(of: "/") {
            current = String(current[..<s])
            expected.append(current)
        }
        #expect(LayerPath.ancestors(raw) == expected)
    }
}
