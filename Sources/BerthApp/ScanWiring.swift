import BerthAPI
import BerthMetadata
import BerthRegistry

/// Scanning in `berth serve`: the scan service (a job handler on the node's runner), the pull gate and
/// scan-on-push hook, over the metadata database and `DATA/vulndb/`.
struct ScanWiring: Sendable {
    let service: ScanService
    let gate: ScanGate

    /// nil when there is no job queue or no SQL metadata database (scanning is then off).
    static func build(metadata: any MetadataStore, registry: Registry, jobs: JobsWiring?, dataDirectory: String,
                      identity: any IdentityStore) -> ScanWiring? {
        guard let jobs, let scans = ScanStoreFactory.store(on: metadata) else { return nil }
        let timeout = Int64(BerthConfiguration.environment("BERTH_SCAN_TIMEOUT_SECONDS") ?? "").map { max(1, $0) } ?? 1_800
        let attempts = Int(BerthConfiguration.environment("BERTH_SCAN_ATTEMPTS") ?? "").map { max(1, $0) } ?? 2
        let service = ScanService(registry: registry, scans: scans, runner: jobs.runner, jobs: jobs.store,
                                  database: VulnDBCache(dataDirectory: dataDirectory), timeoutMillis: timeout * 1_000,
                                  maxAttempts: attempts)
        return ScanWiring(service: service, gate: ScanGate(identity: identity, scans: service))
    }
}
