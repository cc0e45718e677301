/// What the gate knows of an artifact's vulnerability scan.
public enum ScanState: Sendable, Equatable {
    /// No scan was ever requested or recorded.
    case notScanned
    /// A scan exists but did not succeed yet or failed; `status` is Harbor's word ("Pending", "Running",
    /// "Error", "Stopped").
    case incomplete(status: String)
    /// A finished scan: each found vulnerability's id (a CVE or advisory id, plus aliases) and severity.
    case scanned([FoundVulnerability])
}

/// One vulnerability of a successful scan, as the gate needs it.
public struct FoundVulnerability: Sendable, Equatable {
    /// The id reported (the first is the primary one); any of them allowlisted exempts it.
    public var ids: [String]
    public var severity: VulnerabilitySeverity

    public init(ids: [String], severity: VulnerabilitySeverity) {
        self.ids = ids
        self.severity = severity
    }
}
