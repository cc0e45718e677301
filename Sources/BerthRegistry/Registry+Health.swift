import BerthCore

extension Registry {
    /// Asks the blob store for the size of `digest` (usually absent): a cheap round trip that fails
    /// when the store is unreachable. For health checks.
    public func storageProbe(_ digest: Digest) async throws -> Int64? {
        try await blobs.size(of: digest)
    }
}

extension Registry {
    /// Where a client may fetch the blob directly (object storage), or nil to serve it here.
    /// Checks that the blob is visible in `repository` first.
    public func blobRedirect(_ repository: RepositoryName, _ digest: Digest) async throws -> String? {
        _ = try await blobSize(repository, digest)
        return try await blobs.redirectURL(for: digest)
    }
}
