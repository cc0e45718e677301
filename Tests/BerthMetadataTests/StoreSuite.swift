import BerthMetadata
import Testing

/// The identity, listing and audit views of one fresh metadata store, whichever backend made it.
struct StoreSuite: Sendable {
    let metadata: any MetadataStore
    let identity: any IdentityStore
    let listing: any ListingStore
    let audit: any AuditStore

    /// A fresh, empty store from `factory`, with its identity store on the same database.
    static func make(_ factory: MetadataStoreFactory) async throws -> StoreSuite {
        let metadata = try await factory.make()
        let identity: any IdentityStore
        if let sqlite = metadata as? SQLiteMetadataStore {
            identity = sqlite.identityStore()
        } else {
            identity = try #require(metadata as? PostgresMetadataStore).identityStore()
        }
        let listing = try #require(metadata as? any ListingStore, "\(factory) has no ListingStore")
        let audit = try #require(metadata as? any AuditStore, "\(factory) has no AuditStore")
        return StoreSuite(metadata: metadata, identity: identity, listing: listing, audit: audit)
    }
}
