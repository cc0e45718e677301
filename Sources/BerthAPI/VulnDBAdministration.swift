/// What the vulnerability database administration routes need (implemented in the composition root).
public protocol VulnDBAdministration: Sendable {
    /// Largest accepted upload, in bytes.
    var maxImportBytes: Int64 { get }
    /// A fresh path, in a private directory, where the route may stream an upload ending in `fileExtension`
    /// (`zip`, `jsonl`, `json` or `tsv`).
    func stagingPath(fileExtension: String) throws -> String
    /// Imports the file at `path` (which the call removes) into the database, as `berth vulndb import`
    /// does. Throws `VulnDBImportRejected` when the file holds nothing importable.
    func importFile(at path: String, displayName: String) async throws -> VulnDBImportResult
    /// Queues a `vulndb.update` job; returns its id.
    func queueUpdate(requester: String) async throws -> Int64
}

/// The database after an import, as `POST /api/v2.0/vulndb/import` returns it.
public struct VulnDBImportResult: Codable, Sendable, Equatable {
    /// Records read from the uploaded file.
    public var imported: Int
    /// Advisories in the database now.
    public var records: Int
    public var cvss_rows: Int
    public var vendor_rows: Int
    /// Epoch seconds of this import.
    public var imported_at: Int64
    /// Advisories per OSV ecosystem.
    public var ecosystems: [String: Int]

    public init(imported: Int, records: Int, cvss_rows: Int, vendor_rows: Int, imported_at: Int64, ecosystems: [String: Int]) {
        self.imported = imported
        self.records = records
        self.cvss_rows = cvss_rows
        self.vendor_rows = vendor_rows
        self.imported_at = imported_at
        self.ecosystems = ecosystems
    }
}

/// An uploaded file the importer could not use; the message says why (shown to the client as a 400).
public struct VulnDBImportRejected: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
