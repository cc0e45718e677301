import BerthCore
import BerthMetadata
import BerthStorage

/// Opens the metadata and blob stores a configuration names.
enum StoreFactory {
    static func metadataStore(_ configuration: BerthConfiguration) throws -> any MetadataStore {
        switch try configuration.databaseLocation() {
        case .sqlite(let path): return try SQLiteMetadataStore(path: path)
        case .postgres(let url): return try PostgresMetadataStore(url: url)
        }
    }

    static func blobStore(_ configuration: BerthConfiguration) throws -> any BlobStore {
        switch try configuration.storageLocation() {
        case .file(let path): return try FileSystemBlobStore(root: path)
        case .s3(let url): return try S3BlobStore(url: url, credentials: configuration.s3.credentials())
        }
    }
}
