/// Harbor's `NativeReportSummary`: one artifact's scan at a glance, shown under `scan_overview` in
/// artifact bodies (keyed by the report's media type) when `with_scan_overview=true`.
public struct ScanOverview: Sendable, Equatable, Encodable {
    /// Harbor's `VulnerabilitySummary`.
    public struct Summary: Sendable, Equatable, Encodable {
        /// Vulnerabilities in the report.
        public var total: Int
        /// Those with a fixed version.
        public var fixable: Int
        /// Count per severity (Critical, High, Medium, Low, Unknown, None); severities without any are absent.
        public var summary: [String: Int]

        public init(total: Int, fixable: Int, summary: [String: Int]) {
            self.total = total
            self.fixable = fixable
            self.summary = summary
        }
    }

    /// Harbor's `Scanner`.
    public struct Scanner: Sendable, Equatable, Encodable {
        public var name: String
        public var vendor: String
        public var version: String

        public init(name: String, vendor: String, version: String) {
            self.name = name
            self.vendor = vendor
            self.version = version
        }
    }

    public var report_id: String
    /// Pending, Running, Success, Error or Stopped.
    public var scan_status: String
    /// The highest severity found (None when there is none); absent until a scan succeeded.
    public var severity: String?
    /// Seconds the scan took, when known.
    public var duration: Int64?
    /// Absent until a scan succeeded.
    public var summary: Summary?
    public var start_time: String?
    public var end_time: String?
    /// 0 to 100.
    public var complete_percent: Int
    public var scanner: Scanner?

    public init(report_id: String, scan_status: String, severity: String? = nil, duration: Int64? = nil,
                summary: Summary? = nil, start_time: String? = nil, end_time: String? = nil, complete_percent: Int,
                scanner: Scanner? = nil) {
        self.report_id = report_id
        self.scan_status = scan_status
        self.severity = severity
        self.duration = duration
        self.summary = summary
        self.start_time = start_time
        self.end_time = end_time
        self.complete_percent = complete_percent
        self.scanner = scanner
    }

    /// The key of `scan_overview` (the vulnerability report's media type).
    public static let reportMediaType = "application/vnd.security.vulnerability.report; version=1.1"
}
