/// Errors of the metadata layer. Domain outcomes such as "not found" are return values, not errors;
/// these are failures of the database itself.
public enum MetadataError: Error, Equatable, Sendable {
    /// The database could not be opened.
    case open(String)
    /// A statement failed; carries the engine's message.
    case sql(String)
    /// The database was written by a newer Berth (its schema version is unknown here).
    case schemaTooNew(Int)
    /// A stored value could not be decoded (for example an invalid digest text).
    case corrupt(String)
}
