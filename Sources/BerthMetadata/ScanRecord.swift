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

    public init(digest: String, status: String, progress: Int = 0, inventoryJSON: String? = nil, reportJSON: String? = nil,
                error: String? = nil, databaseAt: Int64 = 0, updatedAt: Int64 = 0) {
        self.digest = digest
        self.status = status
        self.progress = progress
        self.inventoryJSON = inventoryJSON
        self.reportJSON = reportJSON
        self.error = error
        self.databaseAt = databaseAt
        self.updatedAt = updatedAt
    }
}
