import BerthMetadata
import FoundationEssentials

extension ScanCounts {
    /// The parts of a stored report the counts need (the rest of each row is skipped when decoding).
    private struct ReportRows: Decodable {
        struct Row: Decodable {
            var severity: String
            var fix_version: String
        }
        var severity: String
        var scanner: ScanReport.Scanner
        var vulnerabilities: [Row]
    }

    /// The summary of a report: counts per severity, fixable rows, the highest severity and the scanner.
    init(report: ScanReport) {
        self.init(rows: report.vulnerabilities.map { ($0.severity, !$0.fix_version.isEmpty) }, severity: report.severity,
                  scanner: report.scanner)
    }

    /// The summary of a stored report's JSON; nil when it does not decode.
    init?(reportJSON: String) {
        guard let report = try? JSONDecoder().decode(ReportRows.self, from: Data(reportJSON.utf8)) else { return nil }
        self.init(rows: report.vulnerabilities.map { ($0.severity, !$0.fix_version.isEmpty) }, severity: report.severity,
                  scanner: report.scanner)
    }

    private init(rows: [(severity: String, fixable: Bool)], severity: String, scanner: ScanReport.Scanner) {
        var bySeverity: [String: Int] = [:]
        for row in rows { bySeverity[row.severity, default: 0] += 1 }
        self.init(bySeverity: bySeverity, fixable: rows.filter(\.fixable).count, total: rows.count, severity: severity,
                  scannerName: scanner.name, scannerVendor: scanner.vendor, scannerVersion: scanner.version)
    }
}
