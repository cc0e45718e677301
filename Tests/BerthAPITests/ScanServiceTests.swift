@testable import BerthAPI
@testable import BerthApp
import BerthCore
import BerthJobs
import BerthMetadata
import BerthPolicy
import BerthRegistry
import BerthScanner
import BerthStorage
import Foundation
import Glibc
import Synchronization
import Testing

/// The scan service over a real SQLite database: overviews from stored summaries (one query a page),
/// scans whose job failed shown as Error, and summaries that follow a database update.
@Suite struct ScanServiceTests {
    struct Parts {
        let service: ScanService
        let scans: CountingScanStore
        let jobs: any JobStore
        let runner: JobRunner
        let data: String
    }

    static func parts(maxAttempts: Int = 2) async throws -> Parts {
        var template = Array("/tmp/berth-scansvc-XXXXXX".utf8CString)
        let data = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let metadata = try SQLiteMetadataStore(path: data + "/berth.db")
        let scans = CountingScanStore(try #require(ScanStoreFactory.store(on: metadata)))
        let jobs = try #require(JobStoreFactory.store(on: metadata))
        let runner = JobRunner(store: jobs, configuration: JobRunnerConfiguration(
            nodeID: "test", concurrency: 1, pollInterval: .milliseconds(20), maxPollInterval: .milliseconds(100)))
        let registry = Registry(blobs: InMemoryBlobStore(), metadata: metadata, configuration: RegistryConfiguration())
        let service = ScanService(registry: registry, scans: scans, runner: runner, jobs: jobs,
                                  database: VulnDBCache(dataDirectory: data), maxAttempts: maxAttempts)
        return Parts(service: service, scans: scans, jobs: jobs, runner: runner, data: data)
    }

    /// A report with `seed`-dependent rows: severities cycle, every third row has a fix.
    static func report(_ seed: Int) -> ScanReport {
        let labels = ["Critical", "High", "Medium", "Low", "Unknown", "None"]
        let rows = (0..<(seed % 17)).map { row in
            ScanReport.Item(id: "CVE-\(seed)-\(row)", package: "p\(row)", version: "1", fix_version: row % 3 == 0 ? "2" : "",
                            severity: labels[(seed + row) % labels.count], description: String(repeating: "d", count: 500),
                            links: [], preferred_cvss: nil, cwe_ids: [], aliases: [], severity_source: "cvss")
        }
        let top = labels.first { label in rows.contains { $0.severity == label } } ?? "None"
        return ScanReport(generated_at: "", artifact: .init(repository: "r", digest: "d", mime_type: "m"),
                          scanner: .init(version: "7.\(seed)"), severity: top, vulnerabilities: rows)
    }

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }

    @Test func overviewPageIsOneQueryAndEqualsTheFullReport() async throws {
        let p = try await Self.parts()
        let digests = (0..<100).map { "sha256:\($0)" }
        for (seed, digest) in digests.enumerated() {
            let report = Self.report(seed)
            try await p.scans.saveScan(ScanRecord(digest: digest, status: "Success", progress: 100, inventoryJSON: "{}",
                                                  reportJSON: try Self.json(report), updatedAt: 2_000 + Int64(seed),
                                                  startedAt: 1_990, counts: ScanCounts(report: report)))
        }
        p.scans.reset()
        let clock = ContinuousClock()
        let started = clock.now
        let overviews = try await p.service.overviews(digests: digests + ["sha256:never"])
        let elapsed = clock.now - started
        #expect(p.scans.calls == ["scanSummaries": 1])
        #expect(elapsed < .seconds(2))
        #expect(overviews.count == 100 && overviews["sha256:never"] == nil)
        for (seed, digest) in digests.enumerated() {
            // The expected overview, counted here from the report's rows.
            let report = Self.report(seed)
            var bySeverity: [String: Int] = [:]
            for row in report.vulnerabilities { bySeverity[row.severity, default: 0] += 1 }
            let overview = try #require(overviews[digest])
            #expect(overview.summary == ScanOverview.Summary(total: report.vulnerabilities.count,
                                                             fixable: report.vulnerabilities.filter { !$0.fix_version.isEmpty }.count,
                                                             summary: bySeverity))
            #expect(overview.severity == report.severity && overview.scanner?.version == "7.\(seed)")
            #expect(overview.start_time == ListingTime.format(1_990) && overview.duration == 10 + Int64(seed))
            #expect(overview.end_time == ListingTime.format(2_000 + Int64(seed)) && overview.scan_status == "Success")
        }
    }

    @Test func olderRowsAreSummarisedOnceFromTheirReport() async throws {
        let p = try await Self.parts()
        let report = Self.report(13)
        try await p.scans.saveScan(ScanRecord(digest: "sha256:old", status: "Success", progress: 100,
                                              reportJSON: try Self.json(report), updatedAt: 50))
        let first = try await p.service.overviews(digests: ["sha256:old"])
        #expect(first["sha256:old"]?.summary?.total == report.vulnerabilities.count && first["sha256:old"]?.severity == report.severity)
        #expect(try await p.scans.scan(digest: "sha256:old")?.counts == ScanCounts(report: report))
        p.scans.reset()
        let second = try await p.service.overviews(digests: ["sha256:old"])
        #expect(second == first && p.scans.calls == ["scanSummaries": 1])
    }

    /// A job in the queue, claimed and failed once per entry of `failures` (with that error).
    static func job(_ jobs: any JobStore, maxAttempts: Int, failures: [String]) async throws -> Job {
        _ = try await jobs.enqueue(JobRequest(type: "scan.test", maxAttempts: maxAttempts))
        var last: Job?
        for failure in failures {
            let claimed = try #require(try await jobs.claim(worker: "w", types: ["scan.test"]))
            _ = try await jobs.fail(claimed.lease, error: failure, retryDelayMillis: 0)
            last = claimed
        }
        let id = try #require(last).id
        return try #require(try await jobs.job(id: id))
    }

    @Test func aScanWhoseJobFailedForGoodIsError() async throws {
        let p = try await Self.parts()
        // Its last attempt timed out: the handler, cancelled, left the record Stopped.
        let timedOut = try await Self.job(p.jobs, maxAttempts: 2, failures: ["boom", "timed out after 5 ms"])
        #expect(timedOut.status == .error)
        try await p.scans.saveScan(ScanRecord(digest: "sha256:t", status: "Stopped", updatedAt: 10, startedAt: 9, jobID: timedOut.id))
        // Its node died mid-scan on the last attempt: the record still says Running.
        let died = try await Self.job(p.jobs, maxAttempts: 1, failures: ["lease expired"])
        try await p.scans.saveScan(ScanRecord(digest: "sha256:d", status: "Running", updatedAt: 10, startedAt: 9, jobID: died.id))

        let status = try #require(try await p.service.scanStatus(digest: "sha256:t"))
        #expect(status.status == "Error" && status.reportJSON == nil)
        #expect(try await p.service.gateState(digest: "sha256:d") == .incomplete(status: "Error"))
        let overviews = try await p.service.overviews(digests: ["sha256:t", "sha256:d"])
        #expect(overviews["sha256:t"]?.scan_status == "Error" && overviews["sha256:d"]?.scan_status == "Error")
        #expect(overviews["sha256:d"]?.end_time != nil && overviews["sha256:d"]?.complete_percent == 100)
        // Written back, with the job's error.
        let stored = try #require(try await p.scans.scan(digest: "sha256:t"))
        #expect(stored.status == "Error" && stored.error == "timed out after 5 ms")
        #expect(try await p.scans.scan(digest: "sha256:d")?.status == "Error")
    }

    @Test func aScanWaitingForARetryIsPendingAndARunningOneShowsItsProgress() async throws {
        let p = try await Self.parts()
        let retried = try await Self.job(p.jobs, maxAttempts: 3, failures: ["timed out after 5 ms"])
        #expect(retried.status == .pending)
        try await p.scans.saveScan(ScanRecord(digest: "sha256:r", status: "Stopped", updatedAt: 10, jobID: retried.id))
        #expect(try await p.service.scanStatus(digest: "sha256:r")?.status == "Pending")
        #expect(try await p.service.gateState(digest: "sha256:r") == .incomplete(status: "Pending"))
        #expect(try await p.scans.scan(digest: "sha256:r")?.status == "Stopped")   // not final: nothing written

        let running = try #require(try await p.jobs.claim(worker: "w", types: ["scan.test"]))
        _ = try await p.jobs.heartbeat(running.lease, progress: 40, message: nil)
        try await p.scans.saveScan(ScanRecord(digest: "sha256:r", status: "Running", updatedAt: 11, jobID: running.id))
        let status = try #require(try await p.service.scanStatus(digest: "sha256:r"))
        #expect(status.status == "Running" && status.progress == 40)
        #expect(try await p.service.overviews(digests: ["sha256:r"])["sha256:r"]?.complete_percent == 40)
    }

    @Test func aPendingScanWhoseJobWasPurgedIsError() async throws {
        let p = try await Self.parts()
        let job = try await Self.job(p.jobs, maxAttempts: 1, failures: ["lease expired"])
        try await p.scans.saveScan(ScanRecord(digest: "sha256:p", status: "Pending", updatedAt: 10, jobID: job.id))
        try await p.scans.saveScan(ScanRecord(digest: "sha256:s", status: "Stopped", updatedAt: 10, jobID: job.id))
        #expect(try await p.jobs.purge(finishedBefore: Int64.max) >= 1)
        #expect(try await p.jobs.job(id: job.id) == nil)

        let status = try #require(try await p.service.scanStatus(digest: "sha256:p"))
        #expect(status.status == "Error")
        let stored = try #require(try await p.scans.scan(digest: "sha256:p"))
        #expect(stored.status == "Error" && stored.error?.contains("scan again") == true)
        // A scan someone stopped stays Stopped.
        #expect(try await p.service.scanStatus(digest: "sha256:s")?.status == "Stopped")
    }

    @Test func theHandlersLastFailedAttemptRecordsError() async throws {
        let p = try await Self.parts(maxAttempts: 1)
        p.runner.start()
        // No such manifest: the attempt fails, and it is the only one.
        try await p.service.requestScan(repository: "p/r", digest: ScanAllFixture.digest(77).description)
        let failed = try await ScanAllServiceTests.eventually {
            try await p.service.scanStatus(digest: ScanAllFixture.digest(77).description)?.status == "Error"
        }
        await p.runner.shutdown(gracePeriod: .milliseconds(100))
        #expect(failed)
        let record = try #require(try await p.scans.scan(digest: ScanAllFixture.digest(77).description))
        #expect(record.error?.isEmpty == false && record.jobID != nil && record.startedAt > 0)
    }
}

/// A scan store that counts the calls made to it.
final class CountingScanStore: ScanStore {
    let base: any ScanStore
    private let counted = Mutex<[String: Int]>([:])

    init(_ base: any ScanStore) { self.base = base }

    var calls: [String: Int] { counted.withLock { $0 } }
    func reset() { counted.withLock { $0 = [:] } }
    private func note(_ name: String) { counted.withLock { $0[name, default: 0] += 1 } }

    func saveScan(_ record: ScanRecord) async throws { note("saveScan"); try await base.saveScan(record) }
    func scan(digest: String) async throws -> ScanRecord? { note("scan"); return try await base.scan(digest: digest) }
    func scanSummaries(digests: [String]) async throws -> [String: ScanSummary] {
        note("scanSummaries")
        return try await base.scanSummaries(digests: digests)
    }
    func saveCounts(_ counts: ScanCounts, digest: String, updatedAt: Int64) async throws -> Bool {
        note("saveCounts")
        return try await base.saveCounts(counts, digest: digest, updatedAt: updatedAt)
    }
    func updateStatus(digest: String, from expected: (status: String, updatedAt: Int64), to status: String,
                      error: String?, at now: Int64) async throws -> Bool {
        note("updateStatus")
        return try await base.updateStatus(digest: digest, from: expected, to: status, error: error, at: now)
    }
    func staleScans(olderThan databaseAt: Int64, limit: Int) async throws -> [String] {
        note("staleScans")
        return try await base.staleScans(olderThan: databaseAt, limit: limit)
    }
    func inventories(after digest: String, limit: Int) async throws -> [(digest: String, inventoryJSON: String)] {
        note("inventories")
        return try await base.inventories(after: digest, limit: limit)
    }
}
