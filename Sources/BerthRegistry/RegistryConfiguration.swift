/// Limits and timings of the registry services.
public struct RegistryConfiguration: Sendable {
    /// Largest manifest accepted, in bytes.
    public var maxManifestBytes = 4 << 20
    /// Deepest JSON nesting accepted in a manifest.
    public var maxJSONDepth = 64
    /// Upload sessions idle this long are purged.
    public var uploadPurgeAgeSeconds: Int64 = 86_400
    /// How long a manifest lookup may be served from the in-process cache, in milliseconds. Puts and
    /// deletes through this process invalidate it at once; the bound only matters for changes made by
    /// other processes on the same database. 0 disables the cache.
    public var manifestCacheMilliseconds: Int64 = 1_000
    /// Most entries kept in the manifest cache.
    public var manifestCacheEntries = 4_096

    public init() {}
}
