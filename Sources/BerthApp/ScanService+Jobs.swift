import BerthCore
import BerthMetadata
import FoundationEssentials

extension ScanService {
    /// The scan as its job sees it, for records the job may have left behind: a scan whose job failed for
    /// good (its last attempt failed, timed out, or its node died with no attempts left) is Error with the
    /// job's error, a scan waiting for a retry is Pending, and a running scan shows the job's progress. A
    /// final status found this way is written back (unless the record changed meanwhile). A Pending or
    /// Running scan whose job is gone (only finished jobs are purged, so it ended without its handler
    /// recording the end) is Error too, rather than Pending for ever.
    func reconciled(_ summary: ScanSummary) async -> ScanSummary {
        guard ["Pending", "Running", "Stopped"].contains(summary.status), let id = summary.jobID else { return summary }
        let found: Job?
        do { found = try await jobs.job(id: id) } catch { return summary }
        var shown = summary
        guard let job = found else {
            guard summary.status != "Stopped" else { return summary }
            shown.status = "Error"
            shown.error = summary.error ?? "the scan job ended without recording a result; scan again"
            return await writtenBack(shown, over: summary)
        }
        switch job.status {
        case .pending:
            shown.status = "Pending"
        case .running:
            shown.status = "Running"
            shown.progress = job.progress
        case .error:
            shown.status = "Error"
            shown.error = job.lastError ?? summary.error ?? "the scan job failed"
        case .stopped:
            shown.status = "Stopped"
        case .success:
            return summary
        }
        guard job.status.isFinal else { return shown }
        return await writtenBack(shown, over: summary)
    }

    /// Stores `shown`'s status and error over `summary`'s, if they differ and the record is unchanged.
    private func writtenBack(_ shown: ScanSummary, over summary: ScanSummary) async -> ScanSummary {
        guard shown.status != summary.status || shown.error != summary.error else { return shown }
        var shown = shown
        let now = Self.now()
        if (try? await scans.updateStatus(digest: summary.digest, from: (summary.status, summary.updatedAt),
                                          to: shown.status, error: shown.error, at: now)) == true {
            shown.updatedAt = now
        }
        return shown
    }

    /// Re-matches, on a background task, every successful scan matched against an older database than
    /// the current one, so that the stored summaries (and artifact lists) follow a database update
    /// without re-reading layers. One run at a time per node.
    func rematchStaleInBackground() {
        guard rematching.withLock({ running in
            defer { running = true }
            return !running
        }) else { return }
        Task { [self] in
            defer { rematching.withLock { $0 = false } }
            do {
                let count = try await rematchStale()
                if count > 0 { Log.info("scan: re-matched \(count) stored inventories against the updated database") }
            } catch {
                Log.warning("scan: re-matching stored inventories failed: \(error)")
            }
        }
    }

    /// Re-matches the stale scans now, page by page; returns how many were re-matched. A scan that fails
    /// to re-match is skipped (it is tried again on its next read).
    @discardableResult
    func rematchStale(pageSize: Int = 50) async throws -> Int {
        let current = try database.current().stats.importedAt
        var tried = Set<String>()
        var count = 0
        while true {
            let page = try await scans.staleScans(olderThan: current, limit: pageSize + tried.count)
                .filter { !tried.contains($0) }
            if page.isEmpty { return count }
            for digest in page {
                tried.insert(digest)
                guard let record = try await scans.scan(digest: digest) else { continue }
                do {
                    _ = try await refreshed(record)
                    count += 1
                } catch {
                    Log.warning("scan: re-matching \(digest) failed: \(error)")
                }
            }
        }
    }
}
