import BerthAPI
import BerthCore
import BerthMetadata
import FoundationEssentials

extension ScanService {
    /// The parts of a stored report an overview needs (the rest of each row is skipped when decoding).
    private struct ReportCounts: Decodable {
        struct Row: Decodable {
            var severity: String
            var fix_version: String
        }
        var severity: String
        var scanner: ScanReport.Scanner
        var vulnerabilities: [Row]
    }

    /// Harbor's `scan_overview` of each scanned artifact among `digests`, from the stored records and
    /// reports (never-scanned artifacts are absent).
    func overviews(digests: [String]) async throws -> [String: ScanOverview] {
        var records: [ScanRecord] = []
        for digest in Set(digests) {
            if let record = try await scans.scan(digest: digest) { records.append(record) }
        }
        // Reports of large images run to megabytes: decode them off the cooperative pool.
        let found = records
        return try await BlockingPool.shared.run {
            Dictionary(found.map { ($0.digest, Self.overview(of: $0)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// One record's overview: counts per severity and fixable rows once a scan succeeded, the status and
    /// progress before.
    static func overview(of record: ScanRecord) -> ScanOverview {
        let finished = ["Success", "Error", "Stopped"].contains(record.status)
        var overview = ScanOverview(report_id: "\(record.digest)@\(record.updatedAt)", scan_status: record.status,
                                    end_time: finished ? ListingTime.format(record.updatedAt) : nil,
                                    complete_percent: finished ? 100 : max(0, min(100, record.progress)))
        guard record.status == "Success", let json = record.reportJSON,
              let report = try? JSONDecoder().decode(ReportCounts.self, from: Data(json.utf8)) else { return overview }
        var bySeverity: [String: Int] = [:]
        for row in report.vulnerabilities { bySeverity[row.severity, default: 0] += 1 }
        overview.severity = report.severity
        overview.summary = ScanOverview.Summary(total: report.vulnerabilities.count,
                                                fixable: report.vulnerabilities.filter { !$0.fix_version.isEmpty }.count,
                                                summary: bySeverity)
        overview.scanner = ScanOverview.Scanner(name: report.scanner.name, vendor: report.scanner.vendor,
                                                version: report.scanner.version)
        return overview
    }
}
