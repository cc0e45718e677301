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
        let service = ScanService(registry: registry, scans: scans, runner: jobs.runner,
                                  database: VulnDBCache(dataDirectory: dataDirectory))
        return ScanWiring(service: service, gate: ScanGate(identity: identity, scans: service))
    }
}
