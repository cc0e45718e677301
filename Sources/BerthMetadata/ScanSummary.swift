/// One stored scan without its inventory and report: what status pages and artifact lists need.
public struct ScanSummary: Sendable, Equatable {
    /// The artifact's manifest digest.
    public var digest: String
    /// Harbor's status word: Pending, Running, Success, Error or Stopped.
    public var status: String
    /// 0...100 while running.
    public var progress: Int
    /// Why the last scan failed.
    public var error: String?
    /// The import time of the vulnerability database the report was matched against (epoch seconds).
    public var databaseAt: Int64
    /// Epoch seconds when the scan was requested or its current attempt started (0 for rows saved
    /// before this was recorded).
    public var startedAt: Int64
    /// Epoch seconds of the last change (the end time once finished).
    public var updatedAt: Int64
    /// The job that runs the scan, when known.
    public var jobID: Int64?
    /// The severity summary of a successful scan; nil before it succeeded, or for a row saved before
    /// summaries were stored (computed from its report on first use).
    public var counts: ScanCounts?

    public init(digest: String, status: String, progress: Int = 0, error: String? = nil, databaseAt: Int64 = 0,
                startedAt: Int64 = 0, updatedAt: Int64 = 0, jobID: Int64? = nil, counts: ScanCounts? = nil) {
        self.digest = digest
        self.status = status
        self.progress = progress
        self.error = error
        self.databaseAt = databaseAt
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.jobID = jobID
        self.counts = counts
    }
}
