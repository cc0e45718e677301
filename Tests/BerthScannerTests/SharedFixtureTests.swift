import Testing
import FoundationEssentials
@testable import BerthScanner

/// The two end-to-end fixtures of `../shared/vulndb/fixtures`, reproduced exactly.
/// Skipped (with a printed reason) when the shared bundle is absent.
@Suite struct SharedFixtureTests {
    static func importDatabase(_ files: [String]) throws -> VulnerabilityDatabase {
        var builder = VulnerabilityDatabaseBuilder()
        let importer = VulnerabilityImporter()
        for f in files {
            let s = try importer.importPath(f, into: &builder)
            #expect(s.skipped == 0, "\(f): \(s.problems)")
        }
        return builder.build(importedAt: 0)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    @Test func debian12StatusMatchesExpectedRows() throws {
        guard let shared = FixtureFiles.sharedVulnDB else { return }
        let clock = ContinuousClock()
        var db = VulnerabilityDatabase()
        let importTime = try clock.measure {
            db = try Self.importDatabase([shared + "/osv/Debian-12-changelog.osv.jsonl"])
        }
        #expect(db.records.count == 3_645)
        let status = try FixtureFiles.text(shared + "/fixtures/debian12-dpkg-status")
        let packages = DpkgStatusParser.parse(status, ecosystem: "Debian:12")
        #expect(packages.count == 780)
        var matches: [VulnerabilityMatch] = []
        let matchTime = clock.measure { matches = VulnerabilityMatcher(database: db).match(packages) }
        print("debian12 fixture: import \(Self.seconds(importTime)) s, match \(Self.seconds(matchTime)) s, \(matches.count) matches")
        #expect(Self.seconds(matchTime) < 3)

        var expected = Set<[String]>()
        var expectedSources = Set<[String]>()
        for line in try FixtureFiles.text(shared + "/fixtures/debian12-expected-matches.tsv").split(separator: "\n")
        where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            expected.insert([f[0], f[1], f[4], f[5]])
            expectedSources.insert([f[0], f[2], f[3], f[4]])
        }
        #expect(expected.count == 5_095)
        var actual = Set<[String]>()
        var actualSources = Set<[String]>()
        for m in matches {
            #expect(m.fixedVersions.count == 1, "\(m.vulnerabilityID) on \(m.package.name): \(m.fixedVersions)")
            actual.insert([m.package.name, m.installedVersion, m.vulnerabilityID, m.fixedVersions.first ?? ""])
            let key = m.package.advisoryKey
            actualSources.insert([m.package.name, key.name, key.version, m.vulnerabilityID])
        }
        #expect(matches.count == 5_095)
        let missing = expected.subtracting(actual), extra = actual.subtracting(expected)
        #expect(missing.isEmpty, "missing \(missing.count): \(missing.prefix(5))")
        #expect(extra.isEmpty, "extra \(extra.count): \(extra.prefix(5))")
        #expect(actualSources == expectedSources)
    }

    @Test func pypiEnvironmentMatchesExpectedRows() throws {
        guard let shared = FixtureFiles.sharedVulnDB else { return }
        let db = try Self.importDatabase([shared + "/osv/PyPI-pypa-advisory-database-2024-10.osv.jsonl"])
        var packages: [InstalledPackage] = []
        for line in try FixtureFiles.text(shared + "/fixtures/pypi-installed.tsv").split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t")
            packages.append(InstalledPackage(ecosystem: "PyPI", name: String(f[0]), version: String(f[1]), kind: .language))
        }
        #expect(packages.count == 103)
        var expected = Set<[String]>()
        for line in try FixtureFiles.text(shared + "/fixtures/pypi-expected-matches.tsv").split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            expected.insert([f[0], f[1], f[2]])
        }
        let matches = VulnerabilityMatcher(database: db).match(packages)
        let actual = Set(matches.map { [$0.package.name, $0.installedVersion, $0.vulnerabilityID] })
        #expect(actual == expected)
        #expect(matches.count == expected.count)
    }
}

/// Cross-checks against the rest of the shared bundle (skipped when it is absent).
@Suite struct SharedBundleTests {
    /// The native Alpine secdb files decode to exactly the records of the OSV file made from them.
    @Test func alpineSecDBAgreesWithOSVExport() throws {
        guard let shared = FixtureFiles.sharedVulnDB else { return }
        var fromSecDB = VulnerabilityDatabaseBuilder()
        for branch in ["v3.20", "v3.21"] {
            for repo in ["main", "community"] {
                _ = try VulnerabilityImporter().importPath("\(shared)/native/alpine-secdb/\(branch)/\(repo).json", into: &fromSecDB)
            }
        }
        let a = fromSecDB.build(importedAt: 0)
        let b = try SharedFixtureTests.importDatabase([shared + "/osv/Alpine-v3.20-v3.21.osv.jsonl"])
        func triples(_ db: VulnerabilityDatabase) -> Set<[String]> {
            Set(db.affected.map { e in
                [db.records[e.record].id, e.ecosystem, e.name, e.ranges.flatMap { $0.map(\.version) }.joined(separator: ",")]
            })
        }
        #expect(a.records.count == b.records.count)
        let ta = triples(a), tb = triples(b)
        #expect(ta.count > 15_000)
        let onlyA = ta.subtracting(tb), onlyB = tb.subtracting(ta)
        #expect(onlyA.isEmpty && onlyB.isEmpty, "only secdb: \(onlyA.count) \(Array(onlyA.prefix(3))); only OSV: \(onlyB.count) \(Array(onlyB.prefix(3)))")
    }

    /// The whole bundle imports without a rejected record, saves, and loads back quickly.
    @Test func wholeBundleImportsAndPersists() throws {
        guard let shared = FixtureFiles.sharedVulnDB else { return }
        var builder = VulnerabilityDatabaseBuilder()
        let clock = ContinuousClock()
        let importer = VulnerabilityImporter()
        let importTime = try clock.measure {
            let s = try importer.importPath(shared + "/osv", into: &builder)
            #expect(s.skipped == 0, "\(s.problems)")
            _ = try importer.importPath(shared + "/severity/cvss.tsv", into: &builder)
            _ = try importer.importPath(shared + "/severity/vendor-severity.tsv", into: &builder)
        }
        let db = builder.build(importedAt: 1)
        #expect(db.stats.recordsPerEcosystem["Debian:12"] == 3_645)
        // 10 PYSEC and 17 GO records of the bundle are withdrawn and must be dropped.
        #expect(db.stats.recordsPerEcosystem["PyPI"] == 2_661 - 10)
        #expect(db.stats.recordsPerEcosystem["Go"] == 4_291 - 17)
        #expect(db.record(id: "PYSEC-2021-335") != nil)
        #expect(db.severity.cvss.count == 9_235)
        let dir = FileManager.default.temporaryDirectory.path + "/berth-bundle-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = VulnerabilityDatabaseStore(directory: dir)
        try store.save(db)
        var loaded = VulnerabilityDatabase()
        let loadTime = try clock.measure { loaded = try store.load() }
        #expect(loaded.records.count == db.records.count)
        #expect(loaded.affected == db.affected)
        print("whole bundle: \(db.records.count) records, import \(SharedFixtureTests.seconds(importTime)) s, load \(SharedFixtureTests.seconds(loadTime)) s")
    }
}
