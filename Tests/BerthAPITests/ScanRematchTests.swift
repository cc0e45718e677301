@testable import BerthApp
import BerthMetadata
import BerthScanner
import Foundation
import Testing

/// A database update re-matches stored inventories (no layers read) and their summaries follow.
@Suite struct ScanRematchTests {
    static func advisory(_ id: String, cve: String, vector: String, fixed: String) -> String {
        #"{"id":"\#(id)","aliases":["\#(cve)"],"severity":[{"type":"CVSS_V3","score":"\#(vector)"}],"# +
        #""affected":[{"package":{"ecosystem":"PyPI","name":"jinja2"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(fixed)"}]}]}]}"#
    }
    static let high = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N"          // 6.5
    static let critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"      // 9.8

    /// Writes a database of `lines` imported at `importedAt` into `data`'s vulndb directory.
    static func install(_ lines: [String], importedAt: Int64, data: String) throws {
        let file = data + "/feed-\(importedAt).jsonl"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        var builder = VulnerabilityDatabaseBuilder()
        _ = try VulnerabilityImporter().importPath(file, into: &builder)
        try VulnerabilityDatabaseStore(directory: data + "/vulndb").save(builder.build(importedAt: importedAt))
    }

    @Test func aDatabaseUpdateRefreshesTheStoredSummary() async throws {
        let p = try await ScanServiceTests.parts()
        try Self.install([Self.advisory("PYSEC-1", cve: "CVE-2099-1", vector: Self.high, fixed: "3")], importedAt: 1_000, data: p.data)
        let inventory = ImageInventory(os: nil, packages: [
            InventoryPackage(package: InstalledPackage(ecosystem: "PyPI", name: "jinja2", version: "2.0", kind: .language),
                             layerDigest: "sha256:l", path: "site-packages/jinja2")], layerDigests: ["sha256:l"])
        try await p.scans.saveScan(ScanRecord(digest: "sha256:img", status: "Success", progress: 100,
                                              inventoryJSON: try ScanServiceTests.json(inventory), databaseAt: 1, updatedAt: 5))
        #expect(try await p.service.rematchStale() == 1)
        let first = try #require(try await p.scans.scanSummaries(digests: ["sha256:img"])["sha256:img"])
        #expect(first.databaseAt == 1_000 && first.counts?.total == 1 && first.counts?.fixable == 1)
        let firstLevel = try #require(first.counts?.severity)
        #expect(first.counts?.bySeverity == [firstLevel: 1] && firstLevel != "Critical")

        // A newer database with a second, critical advisory: the overview's read notices the stale summary
        // and a background re-match refreshes it.
        try Self.install([Self.advisory("PYSEC-1", cve: "CVE-2099-1", vector: Self.high, fixed: "3"),
                          Self.advisory("PYSEC-2", cve: "CVE-2099-2", vector: Self.critical, fixed: "2.5")],
                         importedAt: 2_000, data: p.data)
        _ = try await p.service.overviews(digests: ["sha256:img"])
        let refreshed = try await ScanAllServiceTests.eventually {
            try await p.service.overviews(digests: ["sha256:img"])["sha256:img"]?.severity == "Critical"
        }
        #expect(refreshed)
        let second = try #require(try await p.scans.scanSummaries(digests: ["sha256:img"])["sha256:img"])
        #expect(second.databaseAt == 2_000 && second.counts?.total == 2 && second.counts?.count("Critical") == 1)
        // The report served and the summary agree.
        let report = try #require(try await p.service.scanStatus(digest: "sha256:img")?.reportJSON)
        #expect(ScanCounts(reportJSON: report) == second.counts)
        #expect(try await p.service.rematchStale() == 0)
    }
}
