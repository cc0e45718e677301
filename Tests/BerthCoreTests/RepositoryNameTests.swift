import Testing
import BerthCore

@Suite struct RepositoryNameTests {
    @Test(arguments: [
        "a", "library/ubuntu", "a/b/c/d/e", "foo.bar", "foo_bar", "foo__bar", "foo-bar", "foo--bar", "foo---bar",
        "a0", "0a", "123", "my-project/my.app_v2", "a.b.c", "a-b_c.d__e", "x/y-z/w__v", "a--b",
        String(repeating: "a", count: 255), String(repeating: "ab/", count: 84) + "abc",
    ])
    func acceptsValidNames(text: String) {
        let name = RepositoryName(text)
        #expect(name != nil)
        #expect(name?.value == text)
    }

    @Test(arguments: [
        "", "A", "Library/ubuntu", "a___b", "a..b", "a._b", "-a", "a-", "_a", "a_", ".a", "a.", "a/", "/a", "a//b",
        "a/-b", "a/b/", "a b", "a:b", "a@b", "é", "a/B", "a_-b", "a-_b", "a__.b",
        String(repeating: "a", count: 256), String(repeating: "ab/", count: 85) + "a",
    ])
    func rejectsInvalidNames(text: String) {
        #expect(RepositoryName(text) == nil)
    }

    @Test func projectIsFirstSegment() throws {
        #expect(try #require(RepositoryName("team/app/api")).project == "team")
        #expect(try #require(RepositoryName("single")).project == "single")
    }

    /// Cross-checks the hand-written parser against a tiny reference matcher of the OCI regex over
    /// every string of length <= 4 over a small alphabet.
    @Test func agreesWithReferenceMatcherExhaustively() {
        let alphabet: [Character] = ["a", "0", ".", "_", "-", "/"]
        var candidates = [""]
        var checked = 0
        for _ in 1...5 {
            candidates = candidates.flatMap { prefix in alphabet.map { prefix + String($0) } }
            for text in candidates {
                #expect((RepositoryName(text) != nil) == ReferenceGrammar.matchesName(text), "\(text)")
                checked += 1
            }
        }
        #expect(checked == 6 + 36 + 216 + 1296 + 7776)
    }
}

/// An independent, deliberately simple matcher of the OCI name grammar (tokenizing approach).
enum ReferenceGrammar {
    static func matchesName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 255 else { return false }
        return text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { matchesComponent(String($0)) }
    }

    /// Splits a component into alternating alnum runs and separator runs and checks each separator.
    static func matchesComponent(_ text: String) -> Bool {
        let chars = Array(text)
        func isAlnum(_ c: Character) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        var runs: [(alnum: Bool, text: String)] = []
        for c in chars {
            if let last = runs.last, last.alnum == isAlnum(c) {
                runs[runs.count - 1].text.append(c)
            } else {
                runs.append((isAlnum(c), String(c)))
            }
        }
        guard let first = runs.first, first.alnum, let last = runs.last, last.alnum else { return false }
        let allowed: Set<String> = [".", "_", "__"]
        for run in runs where !run.alnum {
            let isDashes = run.text.allSatisfy { $0 == "-" }
            guard allowed.contains(run.text) || isDashes else { return false }
        }
        return true
    }
}
