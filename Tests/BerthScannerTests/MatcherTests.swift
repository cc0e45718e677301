import Testing
@testable import BerthScanner

@Suite struct MatcherTests {
    static func database(_ paths: [String], tables: [String] = []) throws -> VulnerabilityDatabase {
        var builder = VulnerabilityDatabaseBuilder()
        for p in paths + tables {
            let s = try VulnerabilityImporter().importPath(FixtureFiles.path(p), into: &builder)
            #expect(s.skipped == 0, "\(s.problems)")
        }
        return builder.build(importedAt: 0)
    }

    @Test func dpkgStatusParserKeepsSourceAndSkipsRemoved() throws {
        let pkgs = DpkgStatusParser.parse(try FixtureFiles.text(FixtureFiles.path("dpkg/status-mini")), ecosystem: "Debian:12")
        #expect(pkgs.map(\.name) == ["adduser", "curl", "less", "libbrotli1", "libcurl3-gnutls"])
        let brotli = try #require(pkgs.first { $0.name == "libbrotli1" })
        #expect(brotli.sourceName == "brotli" && brotli.sourceVersion == "1.0.9-2" && brotli.version == "1.0.9-2+b6")
        #expect(brotli.advisoryKey == ("brotli", "1.0.9-2"))
        let curl = try #require(pkgs.first { $0.name == "curl" })
        #expect(curl.version == "7.88.1-10+deb12u14" && curl.sourceName == nil)
        let gnutls = try #require(pkgs.first { $0.name == "libcurl3-gnutls" })
        #expect(gnutls.advisoryKey == ("curl", "7.88.1-10+deb12u15"))
    }

    @Test func miniDebianFixtureMatchesHandDerivedRows() throws {
        let db = try Self.database(["osv/mini-debian12.osv.jsonl"])
        #expect(db.records.count == 7)
        let pkgs = DpkgStatusParser.parse(try FixtureFiles.text(FixtureFiles.path("dpkg/status-mini")), ecosystem: "Debian:12")
        let matches = VulnerabilityMatcher(database: db).match(pkgs)
        var expected = Set<[String]>()
        for line in try FixtureFiles.text(FixtureFiles.path("dpkg/status-mini-expected.tsv")).split(separator: "\n")
        where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            expected.insert([f[0], f[1], f[2], f[3], f[4], f[5]])
        }
        let actual = Set(matches.map { m in
            [m.package.name, m.installedVersion, m.package.advisoryKey.name, m.package.advisoryKey.version,
             m.vulnerabilityID, m.fixedVersions.joined(separator: ",")]
        })
        #expect(actual == expected)
        #expect(matches.count == 5)
        // The same inventory in another release's ecosystem matches nothing.
        let other = pkgs.map { p -> InstalledPackage in var q = p; q.ecosystem = "Debian:11"; return q }
        #expect(VulnerabilityMatcher(database: db).match(other).isEmpty)
    }

    @Test func rangeSemantics() throws {
        let db = try Self.database(["osv-dir"], tables: ["severity/cvss-test.tsv", "severity/vendor-test.tsv"])
        let matcher = VulnerabilityMatcher(database: db)
        func ids(_ eco: String, _ name: String, _ version: String) -> [String: [String]] {
            var out: [String: [String]] = [:]
            for m in matcher.match([InstalledPackage(ecosystem: eco, name: name, version: version, kind: .language)]) {
                out[m.vulnerabilityID] = m.fixedVersions
            }
            return out
        }
        // last_affected is inclusive; a second range with two introduced/fixed pairs; withdrawn record ignored.
        #expect(ids("npm", "left-pad", "0.9.0") == [:])
        #expect(ids("npm", "left-pad", "1.0.0") == ["TEST-2024-0001": []])
        #expect(ids("npm", "left-pad", "1.2.3") == ["TEST-2024-0001": []])
        #expect(ids("npm", "left-pad", "1.2.4") == [:])
        #expect(ids("npm", "left-pad", "2.0.5") == ["TEST-2024-0001": ["2.1.0"]])
        #expect(ids("npm", "left-pad", "2.1.0") == [:])
        #expect(ids("npm", "left-pad", "3.0.0-beta") == [:])
        #expect(ids("npm", "left-pad", "3.0.0") == ["TEST-2024-0001": ["3.0.1"]])
        #expect(ids("npm", "left-pad", "3.0.1") == [:])
        // limit, with Go's v prefix and pseudo-versions.
        #expect(ids("Go", "example.com/mod", "v1.4.9") == ["TEST-2024-0002": []])
        #expect(ids("Go", "example.com/mod", "v0.0.0-20200101000000-abcdef123456") == ["TEST-2024-0002": []])
        #expect(ids("Go", "example.com/mod", "1.5.0") == [:])
        // explicit versions, PyPI name normalisation and version normalisation.
        #expect(ids("PyPI", "flask-extra", "1.0.post1") == ["TEST-2024-0002": []])
        #expect(ids("PyPI", "Flask.Extra", "1.0-1") == ["TEST-2024-0002": []])
        #expect(ids("PyPI", "flask-extra", "1.0") == [:])
        // Maven qualifiers.
        #expect(ids("Maven", "org.example:lib", "2.0-beta-1") == ["TEST-2024-0004": ["2.0-rc1"]])
        #expect(ids("Maven", "org.example:lib", "2.0") == [:])
    }

    /// Ubuntu OVAL-derived advisories name binaries: those match on binary name and version only.
    @Test func binaryNamedAdvisoriesMatchBinaries() throws {
        let db = try Self.database(["osv-dir"])
        let matcher = VulnerabilityMatcher(database: db)
        let eco = "Ubuntu:24.04:LTS"
        let old = matcher.match([
            InstalledPackage(ecosystem: eco, name: "libssl3t64", version: "3.0.13-0ubuntu3", sourceName: "openssl"),
            InstalledPackage(ecosystem: eco, name: "openssl", version: "3.0.13-0ubuntu3"),
            InstalledPackage(ecosystem: eco, name: "libssl-dev", version: "3.0.13-0ubuntu3", sourceName: "openssl"),
        ])
        #expect(old.map(\.package.name) == ["libssl3t64", "openssl"])
        #expect(old.allSatisfy { $0.vulnerabilityID == "USN-6663-3" && $0.fixedVersions == ["3.0.13-0ubuntu3.1"] })
        let fixed = matcher.match([
            InstalledPackage(ecosystem: eco, name: "libssl3t64", version: "3.0.13-0ubuntu3.1", sourceName: "openssl"),
        ])
        #expect(fixed.isEmpty)
    }

    @Test func severityIsReportedWithItsSource() throws {
        let db = try Self.database(["osv-dir"], tables: ["severity/cvss-test.tsv", "severity/vendor-test.tsv"])
        let matches = VulnerabilityMatcher(database: db).match([
            InstalledPackage(ecosystem: "npm", name: "left-pad", version: "1.0.0", kind: .language),
            InstalledPackage(ecosystem: "Go", name: "example.com/mod", version: "1.0.0", kind: .language),
            InstalledPackage(ecosystem: "Maven", name: "org.example:lib", version: "1.0", kind: .language),
            InstalledPackage(ecosystem: "Alpine:v3.20", name: "libcrypto3", version: "3.3.1-r0", sourceName: "openssl"),
            InstalledPackage(ecosystem: "Alpine:v3.20", name: "busybox", version: "1.36.1-r29"),
        ])
        let byID = Dictionary(uniqueKeysWithValues: matches.map { ($0.vulnerabilityID, $0) })
        #expect(Set(byID.keys) == ["TEST-2024-0001", "TEST-2024-0002", "TEST-2024-0004",
                                   "ALPINE-CVE-2024-6119", "ALPINE-CVE-2024-5535"])
        #expect(byID["TEST-2024-0001"]?.severity.level == .critical)
        #expect(byID["TEST-2024-0001"]?.severity.source == .recordVector)
        // Its own CVSS v4.0 vector (scored by us) wins over the vendor label the tables also hold for it.
        #expect(byID["TEST-2024-0002"]?.severity.source == .recordVector)
        #expect(byID["TEST-2024-0002"]?.severity.score == 9.3)
        #expect(byID["TEST-2024-0002"]?.severity.level == .critical)
        #expect(byID["TEST-2024-0004"]?.severity.source == .cvssTable("test"))
        #expect(byID["TEST-2024-0004"]?.severity.level == .medium)
        #expect(byID["ALPINE-CVE-2024-6119"]?.severity == SeverityAssessment(level: .medium, source: .vendor("redhat")))
        #expect(byID["ALPINE-CVE-2024-6119"]?.fixedVersions == ["3.3.2-r0"])
        #expect(byID["ALPINE-CVE-2024-5535"]?.severity == .unknown)
        #expect(byID["ALPINE-CVE-2024-5535"]?.installedVersion == "3.3.1-r0")
    }
}

/// RubySec advisories: requirement sets instead of ranges.
@Suite struct RubySecTests {
    @Test func pessimisticBump() {
        #expect(RubyGemsVersionComparator.bump("6.0.3") == "6.1")
        #expect(RubyGemsVersionComparator.bump("2") == "3")
        #expect(RubyGemsVersionComparator.bump("1.9") == "2")
        #expect(RubyGemsVersionComparator.bump("1.2.beta") == "2")
        #expect(RubyGemsVersionComparator.bump("0.99.9") == "0.100")
        let gems = RubyGemsVersionComparator()
        let c = VersionConstraint(parsing: "~> 7.0.8")
        #expect(c == VersionConstraint(op: .pessimistic, version: "7.0.8"))
        #expect(c!.isSatisfied(by: "7.0.9", comparator: gems) && !c!.isSatisfied(by: "7.1.0", comparator: gems))
        #expect(VersionConstraint(parsing: " ") == nil)
        #expect(VersionConstraint(parsing: "1.2") == VersionConstraint(op: .equal, version: "1.2"))
    }

    @Test func requirementsDecideAffectedVersions() throws {
        let db = try MatcherTests.database(["rubysec/mini.rubysec.jsonl"])
        #expect(Set(db.records.map(\.id)) == ["RUBYSEC-actionmailer-CVE-2024-47889", "RUBYSEC-Arabic-Prawn-CVE-2014-2322"])
        #expect(db.record(id: "RUBYSEC-actionmailer-CVE-2024-47889")?.aliases == ["CVE-2024-47889", "GHSA-h47h-mwp9-c6q6"])
        let matcher = VulnerabilityMatcher(database: db)
        func fixed(_ version: String) -> [String]? {
            matcher.match([InstalledPackage(ecosystem: "RubyGems", name: "actionmailer", version: version, kind: .language)])
                .first?.fixedVersions
        }
        // patched: ~> 6.1.7.9 | ~> 7.0.8, >= 7.0.8.5 | ~> 7.1.4, >= 7.1.4.1 | >= 7.2.1.1; unaffected: < 3.0.0
        #expect(fixed("2.3.18") == nil)
        #expect(fixed("6.1.7.8") == ["6.1.7.9", "7.0.8.5", "7.1.4.1", "7.2.1.1"])
        #expect(fixed("6.1.7.9") == nil)
        #expect(fixed("7.0.8.4") == ["7.0.8.5", "7.1.4.1", "7.2.1.1"])
        #expect(fixed("7.0.8.5") == nil)
        #expect(fixed("7.1.4") == ["7.1.4.1", "7.2.1.1"])
        #expect(fixed("7.2.0") == ["7.2.1.1"])
        #expect(fixed("7.2.1.1") == nil)
        #expect(fixed("8.0.0") == nil)
        // Never patched: every version.
        let prawn = matcher.match([InstalledPackage(ecosystem: "RubyGems", name: "Arabic-Prawn", version: "0.0.1", kind: .language)])
        #expect(prawn.map(\.vulnerabilityID) == ["RUBYSEC-Arabic-Prawn-CVE-2014-2322"])
    }

    @Test func sharedRubySecImportsAndRoundTrips() throws {
        guard let shared = FixtureFiles.sharedVulnDB else { return }
        var builder = VulnerabilityDatabaseBuilder()
        let s = try VulnerabilityImporter().importPath(shared + "/native/rubysec/RubyGems-rubysec-2026-08.rubysec.jsonl", into: &builder)
        #expect(s.skipped == 0, "\(s.problems)")
        let db = builder.build(importedAt: 0)
        #expect(db.stats.recordsPerEcosystem["RubyGems"] == s.records)
        #expect(s.records > 1_200)
        let copy = try VulnerabilityDatabase(encoded: db.encoded())
        #expect(copy.affected == db.affected)
    }
}
