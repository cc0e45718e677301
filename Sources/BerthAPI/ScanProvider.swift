import BerthPolicy

/// What the scan routes and the pull gate need from the scanner (implemented in the composition root).
public protocol ScanProvider: Sendable {
    /// Queues a scan of an artifact (Pending at once).
    func requestScan(repository: String, digest: String) async throws
    /// The stored scan: Harbor status, progress and the report object as JSON (nil until a scan succeeded).
    func scanStatus(digest: String) async throws -> (status: String, progress: Int, reportJSON: String?)?
    /// The gate's view of an artifact.
    func gateState(digest: String) async throws -> ScanState
    /// `GET /api/v2.0/vulndb`: the database's age and counts per ecosystem, as JSON.
    func databaseStatusJSON() async throws -> String
    /// Scan overviews of the artifacts among `digests` that were ever scanned (never-scanned ones are
    /// absent), for artifact lists with `with_scan_overview=true`.
    func overviews(digests: [String]) async throws -> [String: ScanOverview]
}

extension ScanProvider {
    /// No overviews: for providers that keep no reports.
    public func overviews(digests: [String]) async throws -> [String: ScanOverview] { [:] }
}
