import Testing
@testable import BerthScanner

@Suite struct SeverityResolutionTests {
    func tables() throws -> SeverityTables {
        var t = SeverityTables()
        #expect(try t.importTSV(FixtureFiles.text(FixtureFiles.path("severity/cvss-test.tsv")), name: "cvss") == 1)
        #expect(try t.importTSV(FixtureFiles.text(FixtureFiles.path("severity/vendor-test.tsv")), name: "vendor") == 4)
        return t
    }

    @Test func ownVectorComesFirst() throws {
        let r = VulnerabilityRecord(id: "X-1", aliases: ["CVE-2024-0004"],
                                    severityVectors: ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"])
        let a = try tables().assess(r)
        #expect(a.level == .critical && a.score == 9.8 && a.source == .recordVector)
    }

    @Test func tableByAliasOrUpstream() throws {
        let byAlias = try tables().assess(VulnerabilityRecord(id: "X-2", aliases: ["CVE-2024-0004"]))
        #expect(byAlias.level == .medium && byAlias.score == 4.7 && byAlias.source == .cvssTable("test"))
        let byUpstream = try tables().assess(VulnerabilityRecord(id: "X-3", upstream: ["CVE-2024-0004"]))
        #expect(byUpstream.source == .cvssTable("test"))
    }

    @Test func v4VectorIsScoredFirst() throws {
        let v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
        let a = try tables().assess(VulnerabilityRecord(id: "X-6", aliases: ["CVE-2024-0004"], severityVectors: [v4]))
        #expect(a.level == .critical && a.score == 9.3 && a.vector == v4 && a.source == .recordVector)
    }

    @Test func malformedVectorFallsThroughToVendor() throws {
        let r = VulnerabilityRecord(id: "X-4", aliases: ["CVE-2024-0002"],
                                    severityVectors: ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"])
        let t = try tables()
        let plain = t.assess(r)
        #expect(plain.level == .low && plain.source == .vendor("ubuntu"))
        let azure = t.assess(r, preferredVendors: ["azurelinux"])
        #expect(azure.level == .high && azure.source == .vendor("azurelinux"))
    }

    @Test func unknownWhenNothingKnown() throws {
        let a = try tables().assess(VulnerabilityRecord(id: "X-5", aliases: ["CVE-1999-9999"]))
        #expect(a == .unknown)
        #expect(a.source.description == "unknown")
    }

    @Test func nvdAndCVE5RecordsFeedTheTable() throws {
        var builder = VulnerabilityDatabaseBuilder()
        let s = try VulnerabilityImporter().importPath(FixtureFiles.path("cve"), into: &builder)
        #expect(s.records == 2)
        let db = builder.build(importedAt: 0)
        #expect(db.severity.cvss["CVE-2024-0001"] == .init(vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
                                                            score: 6.1, source: "nvd"))
        // The CNA's CVSS v4.0 vector wins over the ADP's v3.1 one: the newest version is preferred.
        #expect(db.severity.cvss["CVE-2024-0002"]?.source == "cna:ExampleCNA")
        #expect(db.severity.cvss["CVE-2024-0002"]?.score == 9.3)
        #expect(db.severity.cvss["CVE-2024-0009"] == nil)
        #expect(db.stats.sources.map(\.kind) == ["cve-severity", "cve-severity"])
        let a = db.severity.assess(VulnerabilityRecord(id: "GHSA-x", aliases: ["CVE-2024-0002"]))
        #expect(a.level == .critical && a.source == .cvssTable("cna:ExampleCNA"))
    }

    @Test func rejectsUnknownTable() {
        var t = SeverityTables()
        #expect(throws: ImportError.self) { try t.importTSV("a\tb\n1\t2\n", name: "x.tsv") }
    }
}
