import BerthCore

extension Registry {
    /// Asks the blob store for the size of `digest` (usually absent): a cheap round trip that fails
    /// when the store is unreachable. For health checks.
    public func storageProbe(_ digest: Digest) async throws -> Int64? {
        try await blobs.size(of: digest)
    }
}
