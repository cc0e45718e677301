@testable import BerthAPI
@testable import BerthApp
import BerthAuth
import BerthCore
import BerthJobs
import BerthMetadata
import Foundation
import Testing

/// The scan-all service on a real SQLite job queue, scan store and listings: what it queues, how the
/// metrics follow the queued scans, when a manual run is refused, and the schedule it stores.
@Suite struct ScanAllServiceTests {
    struct Parts {
        let fixture: ScanAllFixture
        let scanner: RecordingScanner
        let scans: any ScanStore
        let jobs: any JobStore
        let runner: JobRunner
        let service: ScanAllService
    }

    static func parts() async throws -> Parts {
        let fixture = try await ScanAllFixture()
        let scans = try #require(ScanStoreFactory.store(on: fixture.metadata))
        let jobs = try #require(JobStoreFactory.store(on: fixture.metadata))
        let runner = JobRunner(store: jobs, configuration: JobRunnerConfiguration(
            nodeID: "test", concurrency: 1, pollInterval: .milliseconds(50), maxPollInterval: .milliseconds(200)))
        let scanner = RecordingScanner(scans: scans)
        let service = ScanAllService(identity: fixture.identity.store, listings: fixture.metadata, scanner: scanner, scans: scans,
                                     runner: runner, scheduler: JobScheduler(store: jobs), jobs: jobs)
        return Parts(fixture: fixture, scanner: scanner, scans: scans, jobs: jobs, runner: runner, service: service)
    }

    /// Polls `condition` for up to ten seconds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func queuesEachImageOnceAndFollowsItsScans() async throws {
        let parts = try await Self.parts()
        let fixture = parts.fixture, service = parts.service
        let admin = Principal.user(UserPrincipal(id: fixture.admin.id, username: "admin", isSysadmin: true, method: "password"))
        _ = try await fixture.identity.createProject(name: "p1", creator: admin)
        _ = try await fixture.identity.createProject(name: "p2", creator: admin)
        try await fixture.push("p1/a", seed: 1)
        try await fixture.push("p1/a", seed: 2, config: "application/vnd.example.sbom.config+json")
        try await fixture.push("p2/b", seed: 1)
        try await fixture.push("p2/deep/c", seed: 3)
        parts.runner.start()
        defer { Task { await parts.runner.shutdown(gracePeriod: .milliseconds(100)) } }

        let before = try await service.metrics(scheduledOnly: false)
        #expect(before.total == 0 && !before.ongoing && before.trigger == nil)
        #expect(try await service.startScanAll(requester: "admin"))
        let started = try await service.metrics(scheduledOnly: false)
        #expect(started.ongoing && started.trigger == "Manual" && started.requester == "admin")
        #expect(try await service.startScanAll(requester: "admin") == false)

        #expect(try await Self.eventually {
            let stats = try await service.metrics(scheduledOnly: false)
            return stats.total == 2 && stats.metrics["Pending"] == 2
        })
        // Images only, and the image in two repositories once.
        let digests = parts.scanner.requested.map(\.digest).sorted()
        #expect(digests == [ScanAllFixture.digest(1).description, ScanAllFixture.digest(3).description])
        #expect(parts.scanner.requested.first { $0.digest == ScanAllFixture.digest(3).description }?.repository == "p2/deep/c")
        #expect(try await service.metrics(scheduledOnly: false).ongoing)
        #expect(try await service.metrics(scheduledOnly: true).total == 0)

        try await parts.scans.saveScan(ScanRecord(digest: ScanAllFixture.digest(1).description, status: "Success", updatedAt: 2))
        let half = try await service.metrics(scheduledOnly: false)
        #expect(half.completed == 1 && half.metrics["Success"] == 1 && half.metrics["Pending"] == 1 && half.ongoing)
        try await parts.scans.saveScan(ScanRecord(digest: ScanAllFixture.digest(3).description, status: "Error", updatedAt: 2))
        let done = try await service.metrics(scheduledOnly: false)
        #expect(done.completed == 2 && done.metrics["Error"] == 1 && !done.ongoing)

        // Finished: a new run may start, and queues everything again.
        #expect(try await service.startScanAll(requester: "root"))
        #expect(try await Self.eventually { parts.scanner.requested.count == 4 })
        #expect(try await service.metrics(scheduledOnly: false).requester == "root")
    }

    @Test func schedulesAreCheckedAndStoredInTheJobTable() async throws {
        let parts = try await Self.parts()
        let service = parts.service
        #expect(try await service.schedule() == nil)
        let daily = try await service.saveSchedule(type: "Daily", cron: "")
        #expect(daily.type == "Daily" && daily.cron == "0 0 0 * * *")
        #expect(try #require(daily.nextFireAt) % 86_400 == 0 && daily.nextFireAt! > ScanAllService.now())
        let stored = try #require(try await parts.jobs.schedule(id: ScanAllService.scheduleID))
        #expect(stored.jobType == ScanAllService.jobType && stored.cron == "0 0 0 * * *")

        for (type, cron) in [("Custom", ""), ("Custom", "61 * * * * *"), ("Hourly", "every hour"), ("Yearly", "0 0 0 1 1 *")] {
            await #expect(throws: HarborError.self) { try await service.saveSchedule(type: type, cron: cron) }
        }
        let custom = try await service.saveSchedule(type: "Custom", cron: "0  30 2 * * *")
        #expect(custom.cron == "0 30 2 * * *" && custom.nextFireAt.map { $0 % 86_400 } == 9_000)
        #expect(try await service.schedule()?.type == "Custom")
        #expect(try await service.removeSchedule())
        #expect(try await service.removeSchedule() == false)
        #expect(try await service.schedule() == nil)
    }

    @Test func overviewCountsTheStoredReport() throws {
        func item(_ id: String, _ severity: String, fix: String) -> ScanReport.Item {
            ScanReport.Item(id: id, package: "p", version: "1", fix_version: fix, severity: severity, description: "",
                            links: [], preferred_cvss: nil, cwe_ids: [], aliases: [], severity_source: "cvss")
        }
        let report = ScanReport(generated_at: "", artifact: .init(repository: "r", digest: "d", mime_type: "m"),
                                scanner: .init(version: "9.9"), severity: "Critical",
                                vulnerabilities: [item("A", "Critical", fix: "2"), item("B", "High", fix: ""),
                                                  item("C", "High", fix: "3"), item("D", "Low", fix: "")])
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        let counts = try #require(ScanCounts(reportJSON: json))
        #expect(counts == ScanCounts(report: report))
        let success = ScanService.overview(of: ScanRecord(digest: "sha256:x", status: "Success", progress: 100,
                                                          reportJSON: json, updatedAt: 1_700_000_000,
                                                          startedAt: 1_699_999_990, counts: counts).summary)
        #expect(success.scan_status == "Success" && success.severity == "Critical" && success.complete_percent == 100)
        #expect(success.summary == ScanOverview.Summary(total: 4, fixable: 2, summary: ["Critical": 1, "High": 2, "Low": 1]))
        #expect(success.scanner?.version == "9.9" && success.end_time == ListingTime.format(1_700_000_000))
        #expect(success.start_time == ListingTime.format(1_699_999_990) && success.duration == 10)
        let running = ScanService.overview(of: ScanSummary(digest: "sha256:x", status: "Running", progress: 40, startedAt: 4,
                                                           updatedAt: 5))
        #expect(running.summary == nil && running.severity == nil && running.complete_percent == 40 && running.end_time == nil)
        #expect(running.duration == nil && running.start_time == ListingTime.format(4))
    }
}
