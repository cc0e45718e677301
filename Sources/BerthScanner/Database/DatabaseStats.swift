/// What a vulnerability database holds and when it was built.
public struct DatabaseStats: Sendable, Hashable {
    /// One imported input.
    public struct Source: Sendable, Hashable {
        public var path: String
        public var kind: String
        public var records: Int
        public init(path: String, kind: String, records: Int) {
            self.path = path
            self.kind = kind
            self.records = records
        }
    }

    /// When the database was last built (seconds since 1970).
    public var importedAt: Int64
    /// Inputs imported over the database's life, oldest first.
    public var sources: [Source]
    /// Advisories per OSV ecosystem name.
    public var recordsPerEcosystem: [String: Int]
    /// Total advisories.
    public var records: Int
    /// Rows of the CVSS table and CVE ids with vendor labels.
    public var cvssRows: Int
    public var vendorRows: Int

    public init(importedAt: Int64 = 0, sources: [Source] = [], recordsPerEcosystem: [String: Int] = [:],
                records: Int = 0, cvssRows: Int = 0, vendorRows: Int = 0) {
        self.importedAt = importedAt
        self.sources = sources
        self.recordsPerEcosystem = recordsPerEcosystem
        self.records = records
        self.cvssRows = cvssRows
        self.vendorRows = vendorRows
    }
}
