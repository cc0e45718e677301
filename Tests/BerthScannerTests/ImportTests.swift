import Testing
import FoundationEssentials
@testable import BerthScanner

@Suite struct ImportTests {
    @Test func zipExportImportsDeflatedAndStoredEntries() throws {
        let zip = try ZipArchive(path: FixtureFiles.path("zip/PyPI-mini.zip"))
        #expect(zip.entries.map(\.name) == ["PYSEC-2023-228.json", "PYSEC-2024-40.json", "README.txt"])
        #expect(zip.entries.map(\.method) == [8, 0, 0])
        let text = String(decoding: try zip.contents(of: zip.entries[0]), as: UTF8.self)
        #expect(text.hasPrefix("{") && text.contains("PYSEC-2023-228"))

        var builder = VulnerabilityDatabaseBuilder()
        let summary = try VulnerabilityImporter().importPath(FixtureFiles.path("zip/PyPI-mini.zip"), into: &builder)
        #expect(summary.records == 2 && summary.skipped == 0)
        let db = builder.build(importedAt: 1)
        #expect(Set(db.records.map(\.id)) == ["PYSEC-2023-228", "PYSEC-2024-40"])
        #expect(db.stats.sources.first?.kind == "osv-zip")
        let matches = VulnerabilityMatcher(database: db).match([
            InstalledPackage(ecosystem: "PyPI", name: "pip", version: "23.2.1", kind: .language),
            InstalledPackage(ecosystem: "PyPI", name: "pip", version: "23.3", kind: .language),
            InstalledPackage(ecosystem: "PyPI", name: "orjson", version: "3.8.3", kind: .language),
        ])
        #expect(matches.map(\.vulnerabilityID) == ["PYSEC-2023-228", "PYSEC-2024-40"])
        #expect(matches.map(\.fixedVersions) == [["23.3"], ["3.9.15"]])
    }

    @Test func corruptZipIsRejected() throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.path("zip/PyPI-mini.zip"))))
        // Flip a byte inside the first (deflated) entry's data: CRC or inflate must fail.
        bytes[80] ^= 0xFF
        let path = FileManager.default.temporaryDirectory.path + "/berth-corrupt-\(UInt32.random(in: 0...UInt32.max)).zip"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let zip = try ZipArchive(path: path)
        #expect(throws: ImportError.self) { try zip.contents(of: zip.entries[0]) }
        var limits = ZipArchive.Limits()
        limits.maxEntrySize = 1_000
        let bounded = try ZipArchive(path: FixtureFiles.path("zip/PyPI-mini.zip"), limits: limits)
        #expect(throws: ImportError.tooLarge(FixtureFiles.path("zip/PyPI-mini.zip") + "!PYSEC-2023-228.json", limit: 1_000)) {
            try bounded.contents(of: bounded.entries[0])
        }
        #expect(throws: ImportError.self) { try ZipArchive(path: FixtureFiles.path("dpkg/status-mini")) }
    }

    @Test func directoryImportHandlesOSVAndSecDB() throws {
        var builder = VulnerabilityDatabaseBuilder()
        let summary = try VulnerabilityImporter().importPath(FixtureFiles.path("osv-dir"), into: &builder)
        #expect(summary.skipped == 0)
        let db = builder.build(importedAt: 42)
        // TEST-2024-0003 is withdrawn; CVE-2022-0001 has secfixes key "0".
        #expect(Set(db.records.map(\.id)) == ["TEST-2024-0001", "TEST-2024-0002", "TEST-2024-0004",
                                             "ALPINE-CVE-2024-6119", "ALPINE-CVE-2024-5535",
                                             "ALPINE-CVE-2023-42363", "ALPINE-CVE-2023-42364", "USN-6663-3"])
        let r1 = try #require(db.record(id: "TEST-2024-0001"))
        #expect(r1.cweIDs == ["CWE-79", "CWE-89"])
        #expect(r1.references == ["https://example.invalid/advisory/1"])
        #expect(r1.published == "2024-01-01T00:00:00Z")
        #expect(db.record(id: "ALPINE-CVE-2024-5535")?.aliases == ["CVE-2024-5535", "GHSA-0000-0000-0000"])
        #expect(db.stats.recordsPerEcosystem == ["npm": 1, "Go": 1, "PyPI": 1, "Maven": 1, "Alpine:v3.20": 4,
                                                  "Ubuntu:24.04:LTS": 1])
        #expect(db.stats.importedAt == 42)
        // The GIT range is dropped, the two SEMVER ranges kept.
        #expect(db.entries(ecosystem: "npm", name: "left-pad").first?.ranges.count == 2)
    }

    @Test func truncatesLongText() throws {
        let long = String(repeating: "x", count: 10_000)
        let d = try OSVRecordDecoder.decode(try JSONParser().parse(#"{"id":"L-1","summary":"\#(long)","details":"\#(long)"}"#))
        #expect(d.record.summary.count == VulnerabilityRecord.maxSummary)
        #expect(d.record.details.count == VulnerabilityRecord.maxDetails)
        #expect(throws: OSVRecordDecoder.DecodeError.self) { try OSVRecordDecoder.decode(.object([:])) }
    }

    @Test func laterRecordReplacesEarlier() throws {
        var builder = VulnerabilityDatabaseBuilder()
        let v1 = try OSVRecordDecoder.decode(try JSONParser().parse(
            #"{"id":"R-1","summary":"old","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}"#))
        let v2 = try OSVRecordDecoder.decode(try JSONParser().parse(
            #"{"id":"R-1","summary":"new","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}"#))
        builder.add(v1)
        builder.add(v2)
        let db = builder.build(importedAt: 0)
        #expect(db.records.map(\.summary) == ["new"])
        #expect(db.entries(ecosystem: "npm", name: "a").count == 1)
        #expect(db.entries(ecosystem: "npm", name: "a")[0].ranges == [[.introduced("0"), .fixed("2.0.0")]])
    }
}
