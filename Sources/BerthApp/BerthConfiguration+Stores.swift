/// Where metadata and blobs live, parsed from the `database` and `storage` URLs.
extension BerthConfiguration {
    /// A metadata backend.
    public enum DatabaseLocation: Equatable, Sendable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    /// A blob backend.
    public enum StorageLocation: Equatable, Sendable {
        case file(path: String)
        case s3(url: String)
    }

    /// The metadata backend; SQLite in the data directory unless `database` says otherwise.
    public func databaseLocation() throws(ConfigurationError) -> DatabaseLocation {
        guard let database, !database.isEmpty else { return .sqlite(path: dataDirectory + "/berth.db") }
        if database.hasPrefix("sqlite:") {
            let path = String(database.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ConfigurationError("database sqlite: needs a path") }
            return .sqlite(path: path)
        }
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") { return .postgres(url: database) }
        throw ConfigurationError("database must be sqlite:PATH or postgres://user:pass@host:port/db")
    }

    /// The blob backend; the data directory unless `storage` says otherwise.
    public func storageLocation() throws(ConfigurationError) -> StorageLocation {
        guard let storage, !storage.isEmpty else { return .file(path: dataDirectory) }
        if storage.hasPrefix("file:") {
            let path = String(storage.dropFirst("file:".count))
            guard !path.isEmpty else { throw ConfigurationError("storage file: needs a path") }
            return .file(path: path)
        }
        if storage.hasPrefix("s3://") { return .s3(url: storage) }
        throw ConfigurationError("storage must be file:PATH or s3://bucket/prefix?endpoint=…&region=…")
    }
}
