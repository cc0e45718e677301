import BerthCore

/// An upload session's metadata. Its bytes live in the blob store under the same id.
public struct UploadRecord: Sendable, Equatable {
    public let id: String
    public let repository: RepositoryName
    /// Seconds since the epoch.
    public let createdAt: Int64
    /// Seconds since the epoch of the last append.
    public let updatedAt: Int64

    public init(id: String, repository: RepositoryName, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.repository = repository
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
