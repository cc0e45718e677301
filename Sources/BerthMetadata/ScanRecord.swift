/// The stored scan of one artifact (by manifest digest, so every repository holding it shares it).
public struct ScanRecord: Sendable, Equatable {
    /// The artifact's manifest digest.
    public var digest: String
    /// Harbor's status word: Pending, Running, Success, Error or Stopped.
    public var status: String
    /// 0...100 while running.
    public var progress: Int
    /// The image inventory as JSON (nil until the layers were read).
    public var inventoryJSON: String?
    /// The report as JSON (nil until matched).
    public var reportJSON: String?
    /// Why the last scan failed.
    public var error: String?
    /// The import time of the vulnerability database the report was matched against (epoch seconds).
    public var databaseAt: Int64
    /// Epoch seconds of the last change.
    public var updatedAt: Int64
    /// Epoch seconds when the scan was requested or its current attempt started.
    public var startedAt: Int64
    /// The job that runs the scan, when known.
    public var jobID: Int64?
    /// The report's severity summary (set with `reportJSON` by whoever builds the report).
    public var counts: ScanCounts?

    public init(digest: String, status: String, progress: Int = 0, inventoryJSON: String? = nil, reportJSON: String? = nil,
                error: String? = nil, databaseAt: Int64 = 0, updatedAt: Int64 = 0, startedAt: Int64 = 0,
                jobID: Int64? = nil, counts: ScanCounts? = nil) {
        self.digest = digest
        self.status = status
        self.progress = progress
        self.inventoryJSON = inventoryJSON
        self.reportJSON = reportJSON
        self.error = error
        self.databaseAt = databaseAt
        self.updatedAt = updatedAt
        self.startedAt = startedAt
        self.jobID = jobID
        self.counts = counts
    }

    /// The record without its inventory and report.
    public var summary: ScanSummary {
        ScanSummary(digest: digest, status: status, progress: progress, error: error, databaseAt: databaseAt,
                    startedAt: startedAt, updatedAt: updatedAt, jobID: jobID, counts: counts)
    }
}
