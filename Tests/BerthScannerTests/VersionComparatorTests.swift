import Testing
@testable import BerthScanner

/// Cases beyond the shared vectors: Go pseudo-versions, ecosystem mapping, validity.
@Suite struct VersionComparatorTests {
    @Test func goPseudoVersionsAndPrefix() {
        let go = GoVersionComparator()
        #expect(go.compare("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa") == .less)
        #expect(go.compare("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3") == .greater)
        #expect(go.compare("v1.2.4-0.20191109021931-daa7c04131f5", "1.2.4") == .less)
        #expect(go.compare("v2.0.0+incompatible", "2.0.0") == .equal)
        #expect(go.compare("1.21.0", "v1.21.0") == .equal)
        #expect(go.isValid("v0.0.0-20191109021931-daa7c04131f5"))
        #expect(go.isValid("v2.3.4+incompatible"))
        #expect(!go.isValid("v1.2"))
        #expect(!go.isValid("v01.2.3"))
    }

    @Test func ecosystemsMapToComparators() {
        #expect(Ecosystem("Debian:12").comparator is DpkgVersionComparator)
        #expect(Ecosystem("Ubuntu:24.04:LTS").family == .ubuntu)
        #expect(Ecosystem("Ubuntu:24.04:LTS").release == "24.04:LTS")
        #expect(Ecosystem("Alpine:v3.20").comparator is APKVersionComparator)
        #expect(Ecosystem("PyPI").comparator is PEP440VersionComparator)
        #expect(Ecosystem("Go").comparator is GoVersionComparator)
        #expect(Ecosystem("crates.io").comparator is SemanticVersionComparator)
        #expect(Ecosystem("npm").comparator is SemanticVersionComparator)
        #expect(Ecosystem("Maven").comparator is MavenVersionComparator)
        #expect(Ecosystem("RubyGems").comparator is RubyGemsVersionComparator)
        #expect(Ecosystem("NuGet").comparator is NuGetVersionComparator)
        #expect(Ecosystem("Red Hat:enterprise_linux:9::baseos").comparator is RPMVersionComparator)
        #expect(Ecosystem("PyPI").normalizedPackageName("Zope.Interface__x") == "zope-interface-x")
    }

    @Test func osReleaseToEcosystem() {
        #expect(Ecosystem.osvName(osID: "debian", versionID: "12") == "Debian:12")
        #expect(Ecosystem.osvName(osID: "ubuntu", versionID: "24.04") == "Ubuntu:24.04:LTS")
        #expect(Ecosystem.osvName(osID: "ubuntu", versionID: "23.10") == "Ubuntu:23.10")
        #expect(Ecosystem.osvName(osID: "alpine", versionID: "3.20.3") == "Alpine:v3.20")
        #expect(Ecosystem.osvName(osID: "debian", versionID: "") == nil)
        #expect(Ecosystem.osvName(osID: "plan9", versionID: "4") == nil)
    }

    @Test func validity() {
        #expect(DpkgVersionComparator().isValid("1:2.66-4+deb12u2+b2"))
        #expect(!DpkgVersionComparator().isValid("-0.6.5"))
        #expect(!DpkgVersionComparator().isValid("a1.0"))
        #expect(PEP440VersionComparator().isValid("1!2.0rc1.post2.dev3+local.7"))
        #expect(!PEP440VersionComparator().isValid("0.1-bulbasaur"))
        #expect(SemanticVersionComparator().isValid("1.0.0-alpha.1+build.5"))
        #expect(!SemanticVersionComparator().isValid("1.0.0-01"))
        #expect(RubyGemsVersionComparator().isValid("6.0.3.1"))
        #expect(!RubyGemsVersionComparator().isValid("a.b"))
    }

    @Test func rangeSortingUsesEcosystemOrder() {
        let e = RangeEvaluator(comparator: DpkgVersionComparator())
        let sorted = e.sorted([.fixed("1.10-1"), .introduced("1.9-1"), .introduced("0"), .fixed("1.2~rc1-1")])
        #expect(sorted == [.introduced("0"), .fixed("1.2~rc1-1"), .introduced("1.9-1"), .fixed("1.10-1")])
        #expect(e.evaluate("1.9.5-1", events: sorted) == (true, "1.10-1"))
        #expect(e.evaluate("1.2-1", events: sorted) == (false, nil))
        #expect(e.evaluate("1.1-1", events: sorted) == (true, "1.2~rc1-1"))
    }
}
