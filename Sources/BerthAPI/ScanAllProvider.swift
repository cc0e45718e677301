/// What the scan-all routes need from the scanner (implemented in the composition root): Harbor's
/// `/system/scanAll/schedule` and `/scans/{all,schedule}/metrics`.
public protocol ScanAllProvider: Sendable {
    /// The stored schedule, nil when there is none.
    func schedule() async throws -> ScanAllSchedule?
    /// Creates or replaces the schedule. `type` is Hourly, Daily, Weekly or Custom; `cron` has Harbor's
    /// six fields (seconds first), or is empty for the default of Hourly, Daily and Weekly. Throws a
    /// `HarborError` with BAD_REQUEST for an unknown type or a malformed cron expression.
    func saveSchedule(type: String, cron: String) async throws -> ScanAllSchedule
    /// Deletes the schedule; false when there was none.
    func removeSchedule() async throws -> Bool
    /// Starts a scan of every artifact now on behalf of `requester`; false (nothing started) while an
    /// earlier scan all is still going on.
    func startScanAll(requester: String) async throws -> Bool
    /// Progress of the latest scan all: of any trigger, or of the latest scheduled one.
    func metrics(scheduledOnly: Bool) async throws -> ScanAllStats
}
