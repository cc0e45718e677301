/// Builds the job store that matches an open metadata store, so the composition root can keep
/// holding `any MetadataStore`.
public enum JobStoreFactory {
    /// The job store on the same database (and, for SQLite, the same single writer) as `metadata`;
    /// nil for a metadata store with no SQL database behind it.
    public static func store(on metadata: any MetadataStore, clock: JobClock = .system) -> (any JobStore)? {
        if let sqlite = metadata as? SQLiteMetadataStore { return SQLiteJobStore(metadata: sqlite, clock: clock) }
        if let postgres = metadata as? PostgresMetadataStore { return PostgresJobStore(metadata: postgres, clock: clock) }
        return nil
    }
}
