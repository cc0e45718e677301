import Testing
import FoundationEssentials
@testable import BerthScanner

@Suite struct DatabaseStoreTests {
    func tempDirectory() -> String {
        FileManager.default.temporaryDirectory.path + "/berth-vulndb-\(UInt32.random(in: 0...UInt32.max))"
    }

    @Test func roundTripKeepsEverything() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try MatcherTests.database(["osv-dir", "osv/mini-debian12.osv.jsonl"],
                                           tables: ["severity/cvss-test.tsv", "severity/vendor-test.tsv"])
        let store = VulnerabilityDatabaseStore(directory: dir)
        #expect(try store.loadStats() == nil)
        #expect(try store.load().records.isEmpty)
        try store.save(db)
        let loaded = try store.load()
        #expect(loaded.records == db.records)
        #expect(loaded.affected == db.affected)
        #expect(loaded.severity == db.severity)
        #expect(loaded.stats == db.stats)
        #expect(try store.loadStats() == db.stats)
        let pkgs = DpkgStatusParser.parse(try FixtureFiles.text(FixtureFiles.path("dpkg/status-mini")), ecosystem: "Debian:12")
        #expect(VulnerabilityMatcher(database: loaded).match(pkgs) == VulnerabilityMatcher(database: db).match(pkgs))
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [VulnerabilityDatabaseStore.fileName])
    }

    @Test func replacementIsAtomicAndIncremental() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = VulnerabilityDatabaseStore(directory: dir)
        try store.save(try MatcherTests.database(["osv/mini-debian12.osv.jsonl"]))
        let first = try store.load()
        // A second import adds to the saved database.
        var builder = VulnerabilityDatabaseBuilder(base: first)
        _ = try VulnerabilityImporter().importPath(FixtureFiles.path("zip/PyPI-mini.zip"), into: &builder)
        try store.save(builder.build(importedAt: 99))
        let second = try store.load()
        #expect(second.records.count == first.records.count + 2)
        #expect(second.stats.sources.count == 2)
        #expect(second.stats.recordsPerEcosystem == ["Debian:12": 7, "PyPI": 2])
        #expect(second.stats.importedAt == 99)
        #expect(second.entries(ecosystem: "Debian:12", name: "curl").count == 3)
    }

    @Test func corruptFileIsReported() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = VulnerabilityDatabaseStore(directory: dir)
        try store.save(try MatcherTests.database(["osv/mini-debian12.osv.jsonl"]))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: store.path)))
        bytes[bytes.count / 2] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: VulnerabilityDatabaseStore.StoreError.corrupt(store.path)) { try store.load() }
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: VulnerabilityDatabaseStore.StoreError.corrupt(store.path)) { try store.load() }
    }
}
