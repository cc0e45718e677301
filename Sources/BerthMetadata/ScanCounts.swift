/// The severity summary of one successful scan, stored beside the record so that artifact lists build
/// Harbor's `scan_overview` without reading inventories or reports.
public struct ScanCounts: Sendable, Equatable {
    /// Harbor's severity labels, highest first; the stored columns follow this order.
    public static let severities = ["Critical", "High", "Medium", "Low", "Unknown", "None"]

    /// Vulnerabilities per severity label (labels with none are absent).
    public var bySeverity: [String: Int]
    /// Vulnerabilities with a fixed version.
    public var fixable: Int
    /// All vulnerabilities in the report.
    public var total: Int
    /// The highest severity found ("None" when nothing was found).
    public var severity: String
    /// The scanner that produced the report.
    public var scannerName: String
    public var scannerVendor: String
    public var scannerVersion: String

    public init(bySeverity: [String: Int], fixable: Int, total: Int, severity: String, scannerName: String,
                scannerVendor: String, scannerVersion: String) {
        self.bySeverity = bySeverity.filter { $0.value != 0 }
        self.fixable = fixable
        self.total = total
        self.severity = severity
        self.scannerName = scannerName
        self.scannerVendor = scannerVendor
        self.scannerVersion = scannerVersion
    }

    /// The count of one label (0 when absent).
    public func count(_ severity: String) -> Int { bySeverity[severity] ?? 0 }
}
