/// Persistence of the audit log.
public protocol AuditStore: Sendable {
    /// Appends entries in one transaction.
    func appendAudit(_ records: [AuditRecord]) async throws
    /// A page of entries, newest first by default; only `project`'s when given. Keys: `username`,
    /// `resource`, `resource_type`, `operation`, `op_time`.
    func auditPage(project: String?, query: ListingQuery) async throws -> ListingPage<AuditRecord>
    /// Deletes entries older than `cutoff` (epoch seconds); returns how many.
    func purgeAudit(before cutoff: Int64) async throws -> Int
}
