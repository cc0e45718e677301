import BerthAPI
import BerthCore
import BerthJobs
import BerthMetadata
import BerthPolicy
import BerthRegistry
import BerthScanner
import FoundationEssentials
import Synchronization

/// Scans artifacts as durable jobs: reads each image's layers once into an inventory, stores it with the
/// report, and re-matches stored inventories when the vulnerability database changed.
final class ScanService: ScanProvider, SBOMProvider {
    static let jobType = "scan.artifact"

    let registry: Registry
    let scans: any ScanStore
    let runner: JobRunner
    /// The job queue's store, to show a scan whose job failed for good (or timed out) as Error.
    let jobs: any JobStore
    let database: VulnDBCache
    let reader: ScanInventoryReader
    /// SBOM generation (`scan_type` sbom), on the same runner and inventories.
    let sbom: SBOMService
    /// How long one scan attempt may run, and how many attempts a scan gets.
    let timeoutMillis: Int64
    let maxAttempts: Int
    /// True while a background re-match of stale reports runs on this node.
    let rematching = Mutex(false)

    init(registry: Registry, scans: any ScanStore, runner: JobRunner, jobs: any JobStore, database: VulnDBCache,
         timeoutMillis: Int64 = 1_800_000, maxAttempts: Int = 2) {
        self.registry = registry
        self.scans = scans
        self.runner = runner
        self.jobs = jobs
        self.timeoutMillis = timeoutMillis
        self.maxAttempts = maxAttempts
        self.database = database
        reader = ScanInventoryReader(registry: registry)
        sbom = SBOMService(registry: registry, scans: scans, runner: runner, reader: reader)
        runner.register(Self.jobType) { [self] job, context in try await run(job, context) }
    }

    private struct Payload: Codable {
        var repository: String
        var digest: String
        /// Queue SBOM generation once the scan stored the inventory (so the layers are read once).
        var sbom: Bool?
    }

    func requestScan(repository: String, digest: String) async throws {
        try await requestScan(repository: repository, digest: digest, thenSBOM: false)
    }

    /// Queues a scan; with `thenSBOM`, a successful scan queues SBOM generation from its inventory.
    func requestScan(repository: String, digest: String, thenSBOM: Bool) async throws {
        let now = Self.now()
        try await scans.saveScan(ScanRecord(digest: digest, status: "Pending", updatedAt: now, startedAt: now))
        let body = Payload(repository: repository, digest: digest, sbom: thenSBOM ? true : nil)
        let payload = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        do {
            try await runner.enqueue(JobRequest(type: Self.jobType, payload: payload, maxAttempts: maxAttempts,
                                              timeoutMillis: timeoutMillis))
        } catch {
            // No job will ever run it: the scan must not stay Pending.
            _ = try? await scans.updateStatus(digest: digest, from: ("Pending", now), to: "Error",
                                              error: "the scan could not be queued: \(error)", at: Self.now())
            throw error
        }
    }

    func requestSBOM(repository: String, digest: String) async throws {
        try await sbom.requestSBOM(repository: repository, digest: digest)
    }

    func sbomDocument(repository: String, digest: String) async throws -> [UInt8]? {
        try await sbom.document(repository: repository, digest: digest)
    }

    func scanStatus(digest: String) async throws -> (status: String, progress: Int, reportJSON: String?)? {
        guard var record = try await scans.scan(digest: digest) else { return nil }
        guard record.status == "Success" else {
            let summary = await reconciled(record.summary)
            return (summary.status, summary.progress, nil)
        }
        record = try await refreshed(record)
        return (record.status, record.progress, record.reportJSON)
    }

    func gateState(digest: String) async throws -> ScanState {
        guard var record = try await scans.scan(digest: digest) else { return .notScanned }
        guard record.status == "Success" else { return .incomplete(status: await reconciled(record.summary).status) }
        record = try await refreshed(record)
        guard let json = record.reportJSON,
              let report = try? JSONDecoder().decode(ScanReport.self, from: Data(json.utf8)) else { return .incomplete(status: "Error") }
        return .scanned(report.vulnerabilities.map { item in
            FoundVulnerability(ids: [item.id] + item.aliases, severity: VulnerabilitySeverity(label: item.severity) ?? .unknown)
        })
    }

    func databaseStatusJSON() async throws -> String {
        let stats = try database.store.loadStats()
        struct Body: Encodable {
            var imported: Bool
            var imported_at: String?
            var age_seconds: Int64?
            var records: Int
            var ecosystems: [String: Int]
            var cvss_rows: Int
            var vendor_rows: Int
        }
        let now = Self.now()
        let body = Body(imported: stats != nil, imported_at: stats.map { ListingTime.format($0.importedAt) },
                        age_seconds: stats.map { now - $0.importedAt }, records: stats?.records ?? 0,
                        ecosystems: stats?.recordsPerEcosystem ?? [:], cvss_rows: stats?.cvssRows ?? 0,
                        vendor_rows: stats?.vendorRows ?? 0)
        return String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
    }

    // MARK: The job

    private func run(_ job: Job, _ context: JobContext) async throws {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
        guard let repository = RepositoryName(payload.repository), let digest = Digest.parse(payload.digest) else {
            throw RegistryError(.nameInvalid, "bad scan payload")
        }
        let started = Self.now()
        var record = ScanRecord(digest: payload.digest, status: "Running", updatedAt: started, startedAt: started, jobID: job.id)
        try await scans.saveScan(record)
        do {
            let manifest = try await registry.manifest(repository, reference: .digest(digest))
            let inventory = try await reader.inventory(repository, manifest) { done, total in
                _ = try await context.report(progress: 10 + 80 * done / max(1, total), message: "read \(done) of \(total) images")
            }
            record.inventoryJSON = String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)
            record = try match(record, inventory: inventory, repository: payload.repository, mimeType: manifest.mediaType)
            try await scans.saveScan(record)
        } catch is CancellationError {
            record.status = "Stopped"
            try? await scans.saveScan(record)
            throw CancellationError()
        } catch {
            // Another attempt follows while attempts remain: the scan is Pending again until it starts.
            let retried = job.attempts < job.maxAttempts
            record.status = retried ? "Pending" : "Error"
            record.error = "\(error)"
            record.updatedAt = Self.now()
            try? await scans.saveScan(record)
            if retried { throw error }
            Log.warning("scan of \(payload.repository)@\(payload.digest) failed: \(error)")
        }
        // Done (or failed for good): the SBOM follows, from the stored inventory when there is one.
        if payload.sbom == true {
            do {
                try await sbom.requestSBOM(repository: payload.repository, digest: payload.digest)
            } catch {
                Log.warning("SBOM of \(payload.repository)@\(payload.digest) not queued: \(error)")
            }
        }
    }

    /// Matches an inventory against the current database into a Success record.
    private func match(_ record: ScanRecord, inventory: ImageInventory, repository: String, mimeType: String) throws -> ScanRecord {
        let database = try database.current()
        let matches = VulnerabilityMatcher(database: database).match(inventory.installedPackages)
        let report = ScanReportBuilder.build(matches, database: database, repository: repository, digest: record.digest,
                                             mimeType: mimeType, now: Self.now())
        var record = record
        record.reportJSON = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        record.counts = ScanCounts(report: report)
        record.status = "Success"
        record.progress = 100
        record.error = nil
        record.databaseAt = database.stats.importedAt
        record.updatedAt = Self.now()
        return record
    }

    /// The record re-matched from its stored inventory when the database changed since it was matched.
    func refreshed(_ record: ScanRecord) async throws -> ScanRecord {
        guard record.status == "Success", let json = record.inventoryJSON else { return record }
        let current = try database.current()
        guard current.stats.importedAt != record.databaseAt else { return record }
        let inventory = try JSONDecoder().decode(ImageInventory.self, from: Data(json.utf8))
        var record = record
        record.startedAt = Self.now()
        let previous = record.reportJSON.flatMap { try? JSONDecoder().decode(ScanReport.self, from: Data($0.utf8)) }
        let updated = try match(record, inventory: inventory, repository: previous?.artifact.repository ?? "",
                                mimeType: previous?.artifact.mime_type ?? "")
        try await scans.saveScan(updated)
        return updated
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
