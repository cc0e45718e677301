import BerthAPI
import BerthCore
import BerthMetadata
import FoundationEssentials

extension ScanService {
    /// Harbor's `scan_overview` of each scanned artifact among `digests` (never-scanned artifacts are
    /// absent), from the stored summaries: one query for the page, no inventory or report read (but for
    /// rows stored before summaries existed, which are summarised once from their report).
    func overviews(digests: [String]) async throws -> [String: ScanOverview] {
        let summaries = try await scans.scanSummaries(digests: digests)
        var overviews: [String: ScanOverview] = [:]
        var stale = false
        let current = (try? database.current().stats.importedAt) ?? 0
        for (digest, stored) in summaries {
            var summary = await reconciled(stored)
            if summary.status == "Success", summary.counts == nil { summary = try await backfilled(summary) }
            stale = stale || (summary.status == "Success" && summary.databaseAt != current)
            overviews[digest] = Self.overview(of: summary)
        }
        if stale { rematchStaleInBackground() }
        return overviews
    }

    /// One summary's overview: counts per severity and fixable rows once a scan succeeded, the status and
    /// progress before; the start time, and the end time and duration once finished.
    static func overview(of summary: ScanSummary) -> ScanOverview {
        let finished = ["Success", "Error", "Stopped"].contains(summary.status)
        let started = summary.startedAt > 0 ? summary.startedAt : nil
        var overview = ScanOverview(report_id: "\(summary.digest)@\(summary.updatedAt)", scan_status: summary.status,
                                    duration: finished ? started.map { max(0, summary.updatedAt - $0) } : nil,
                                    start_time: started.map(ListingTime.format),
                                    end_time: finished ? ListingTime.format(summary.updatedAt) : nil,
                                    complete_percent: finished ? 100 : max(0, min(100, summary.progress)))
        guard summary.status == "Success", let counts = summary.counts else { return overview }
        overview.severity = counts.severity
        overview.summary = ScanOverview.Summary(total: counts.total, fixable: counts.fixable, summary: counts.bySeverity)
        overview.scanner = ScanOverview.Scanner(name: counts.scannerName, vendor: counts.scannerVendor,
                                                version: counts.scannerVersion)
        return overview
    }

    /// A Success row stored before summaries existed, summarised from its report (and the summary stored).
    private func backfilled(_ summary: ScanSummary) async throws -> ScanSummary {
        guard let record = try await scans.scan(digest: summary.digest), record.updatedAt == summary.updatedAt,
              let json = record.reportJSON else { return summary }
        // Reports of large images run to megabytes: decode them off the cooperative pool.
        guard let counts = try await BlockingPool.shared.run({ ScanCounts(reportJSON: json) }) else { return summary }
        _ = try await scans.saveCounts(counts, digest: summary.digest, updatedAt: summary.updatedAt)
        var filled = summary
        filled.counts = counts
        return filled
    }
}
