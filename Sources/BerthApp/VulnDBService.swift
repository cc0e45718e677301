import BerthAPI
import BerthCore
import BerthJobs
import BerthMetadata
import BerthScanner
import Glibc
import HTTPServer
import Synchronization

/// The vulnerability database in `berth serve`: the `vulndb.update` job (by hand through the API, or on
/// `vulndb.update_schedule`, saved in the job store's schedule table so each firing runs on one node of a
/// cluster), and imports uploaded through the API. One import or update at a time per node.
final class VulnDBService: VulnDBAdministration {
    static let jobType = "vulndb.update"
    static let scheduleID = "vulndb.update"
    static let jobTimeoutMillis: Int64 = 2 * 3_600_000

    let dataDirectory: String
    let settings: VulnDBSettings
    let scans: (any ScanStore)?
    let runner: JobRunner
    private let busy = Mutex(false)

    init(dataDirectory: String, settings: VulnDBSettings, scans: (any ScanStore)?, runner: JobRunner) {
        self.dataDirectory = dataDirectory
        self.settings = settings
        self.scans = scans
        self.runner = runner
        runner.register(Self.jobType) { [self] _, context in
            let outcome = try await exclusively {
                try await self.updater(log: { Log.info("vulndb update: \($0)") }).update()
            }
            _ = try await context.report(progress: 100, message: "\(outcome.stats.records) records after importing "
                                         + "\(outcome.imported) from \(outcome.downloaded.joined(separator: ", "))")
        }
    }

    /// Builds the service on `serve`'s job queue, saves or removes the update schedule, and adds the routes.
    static func wire(jobs: JobsWiring, configuration: BerthConfiguration, metadata: any MetadataStore,
                     api: HarborAPI?, router: inout HTTPRouter) async {
        let service = VulnDBService(dataDirectory: configuration.dataDirectory, settings: configuration.vulndb,
                                    scans: ScanStoreFactory.store(on: metadata), runner: jobs.runner)
        do {
            if let cron = configuration.vulndb.jobCron {
                try await jobs.scheduler.save(id: scheduleID, cron: cron, jobType: jobType, maxAttempts: 2,
                                              timeoutMillis: jobTimeoutMillis)
            } else {
                _ = try await jobs.scheduler.remove(id: scheduleID)
            }
        } catch {
            Log.warning("vulndb: could not save the update schedule: \(error)")
        }
        if let api { VulnDBRoutes(api: api, database: service).register(on: &router) }
    }

    func updater(log: @escaping @Sendable (String) -> Void) -> VulnDBUpdater {
        VulnDBUpdater(dataDirectory: dataDirectory, settings: settings, scans: scans, log: log)
    }

    // MARK: VulnDBAdministration

    var maxImportBytes: Int64 { settings.maxImportBytes }

    func stagingPath(fileExtension: String) throws -> String {
        let directory = VulnDBRunner.directory(dataDirectory)
        try DataDirectory.prepare(directory)
        return directory + "/.upload-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).\(fileExtension)"
    }

    func importFile(at path: String, displayName: String) async throws -> VulnDBImportResult {
        let store = VulnerabilityDatabaseStore(directory: VulnDBRunner.directory(dataDirectory))
        let (stats, imported) = try await exclusively {
            try await BlockingPool.shared.run {
                do {
                    return try VulnDBUpdater.merge([path], into: store, requireRecords: true,
                                                   log: { Log.debug("vulndb import \(displayName): \($0)") })
                } catch let error as ImportError {
                    throw VulnDBImportRejected(error.description.replacingPath(path, with: displayName))
                }
            }
        }
        Log.info("vulndb: imported \(imported) records from uploaded \(displayName); \(stats.records) records now")
        return VulnDBImportResult(imported: imported, records: stats.records, cvss_rows: stats.cvssRows,
                                  vendor_rows: stats.vendorRows, imported_at: stats.importedAt,
                                  ecosystems: stats.recordsPerEcosystem)
    }

    func queueUpdate(requester: String) async throws -> Int64 {
        let result = try await runner.enqueue(JobRequest(type: Self.jobType, payload: "{\"requester\":" + JSONText.quote(requester) + "}",
                                                         maxAttempts: 1, timeoutMillis: Self.jobTimeoutMillis))
        return result.job.id
    }

    /// Runs `body` unless another import or update runs on this node (then 409).
    private func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let taken = busy.withLock { running in
            if running { return false }
            running = true
            return true
        }
        guard taken else { throw HarborError(.conflict, "another vulnerability database import or update is running") }
        defer { busy.withLock { $0 = false } }
        return try await body()
    }
}

private extension String {
    /// The message with the staging path replaced by the name the client gave.
    func replacingPath(_ path: String, with name: String) -> String {
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: path) {
            out += rest[..<range.lowerBound] + name
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
