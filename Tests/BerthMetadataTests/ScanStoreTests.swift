import BerthMetadata
import Testing

/// Stored scans with their severity summaries, on SQLite and (when configured) PostgreSQL.
@Suite struct ScanStoreTests {
    static func counts(_ high: Int, scanner: String = "1.0") -> ScanCounts {
        ScanCounts(bySeverity: ["High": high, "Low": 2, "Critical": 0], fixable: 1, total: high + 2,
                   severity: high > 0 ? "High" : "Low", scannerName: "Berth", scannerVendor: "Berth", scannerVersion: scanner)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func summariesComeBackInOneBatchWithoutInventoriesOrReports(_ factory: MetadataStoreFactory) async throws {
        let scans = try #require(ScanStoreFactory.store(on: try await factory.make()))
        for i in 0..<120 {
            try await scans.saveScan(ScanRecord(digest: "sha256:\(i)", status: i % 3 == 0 ? "Running" : "Success",
                                                progress: i % 3 == 0 ? 10 : 100, inventoryJSON: "{\"big\":\(i)}",
                                                reportJSON: "{\"r\":\(i)}", databaseAt: 7, updatedAt: 100 + Int64(i),
                                                startedAt: 90, jobID: i % 3 == 0 ? Int64(i) : nil,
                                                counts: i % 3 == 0 ? nil : Self.counts(i)))
        }
        let asked = (0..<110).map { "sha256:\($0)" } + ["sha256:none", "sha256:5"]
        let found = try await scans.scanSummaries(digests: asked)
        #expect(found.count == 110 && found["sha256:none"] == nil)
        let five = try #require(found["sha256:5"])
        #expect(five == ScanSummary(digest: "sha256:5", status: "Success", progress: 100, databaseAt: 7, startedAt: 90,
                                    updatedAt: 105, counts: Self.counts(5)))
        #expect(five.counts?.bySeverity == ["High": 5, "Low": 2])        // zero counts are absent
        #expect(found["sha256:3"]?.counts == nil && found["sha256:3"]?.jobID == 3 && found["sha256:3"]?.status == "Running")
        let full = try #require(try await scans.scan(digest: "sha256:5"))
        #expect(full.summary == five && full.inventoryJSON == "{\"big\":5}" && full.reportJSON == "{\"r\":5}")
        #expect(try await scans.scanSummaries(digests: []).isEmpty)
        // More digests than one statement takes.
        let many = try await scans.scanSummaries(digests: (0..<1_200).map { "sha256:\($0 % 130)" })
        #expect(many.count == 120)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func countsAreFilledOnlyForTheRowAsRead(_ factory: MetadataStoreFactory) async throws {
        let scans = try #require(ScanStoreFactory.store(on: try await factory.make()))
        try await scans.saveScan(ScanRecord(digest: "sha256:a", status: "Success", reportJSON: "{}", updatedAt: 10))
        #expect(try await !scans.saveCounts(Self.counts(1), digest: "sha256:a", updatedAt: 9))   // changed since
        #expect(try await scans.saveCounts(Self.counts(1), digest: "sha256:a", updatedAt: 10))
        #expect(try await !scans.saveCounts(Self.counts(2), digest: "sha256:a", updatedAt: 10))  // already has them
        #expect(try await scans.scan(digest: "sha256:a")?.counts == Self.counts(1))
        #expect(try await scans.scan(digest: "sha256:a")?.reportJSON == "{}")
        // A rescan's save replaces the summary; a record without one clears it.
        try await scans.saveScan(ScanRecord(digest: "sha256:a", status: "Running", updatedAt: 11))
        #expect(try await scans.scanSummaries(digests: ["sha256:a"])["sha256:a"]?.counts == nil)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func statusMovesOnlyFromTheStateAsRead(_ factory: MetadataStoreFactory) async throws {
        let scans = try #require(ScanStoreFactory.store(on: try await factory.make()))
        try await scans.saveScan(ScanRecord(digest: "sha256:b", status: "Running", inventoryJSON: "{\"i\":1}",
                                            updatedAt: 20, jobID: 4))
        #expect(try await !scans.updateStatus(digest: "sha256:b", from: ("Pending", 20), to: "Error", error: "x", at: 30))
        #expect(try await !scans.updateStatus(digest: "sha256:b", from: ("Running", 19), to: "Error", error: "x", at: 30))
        #expect(try await scans.updateStatus(digest: "sha256:b", from: ("Running", 20), to: "Error", error: "timed out", at: 30))
        let record = try #require(try await scans.scan(digest: "sha256:b"))
        #expect(record.status == "Error" && record.error == "timed out" && record.updatedAt == 30)
        #expect(record.inventoryJSON == "{\"i\":1}" && record.jobID == 4)
    }
}
