/// Bounds applied while reading image layers. Every limit has a safe default; exceeding one fails
/// the scan with a `LayerError` that names the limit.
public struct LayerLimits: Sendable, Codable, Hashable {
    /// Most decompressed bytes read from one layer.
    public var maxLayerBytes: Int64 = 16 << 30
    /// Most decompressed bytes read across all layers of an image.
    public var maxImageBytes: Int64 = 64 << 30
    /// Most tar entries in one layer.
    public var maxEntries = 2_000_000
    /// Longest entry path or link target, in bytes.
    public var maxPathLength = 4_096
    /// Deepest entry path, in components.
    public var maxPathDepth = 128
    /// Largest pax extended header or GNU long-name record.
    public var maxExtendedHeaderSize = 1 << 20
    /// Largest metadata file kept in memory (os-release, dpkg status, package.json, …).
    public var maxMetadataFileSize = 8 << 20
    /// Largest RPM SQLite database kept in memory.
    public var maxRPMDatabaseSize = 128 << 20
    /// Largest Java archive buffered for inspection; larger archives are skipped with a warning.
    public var maxArchiveSize = 64 << 20
    /// Most bytes of collected files held at once across the image (content, path and about 160 bytes
    /// of bookkeeping per file).
    public var maxCollectedBytes = 512 << 20
    /// Most memory (estimated) held by the symbolic links of the image view, which are kept to resolve
    /// paths such as `etc/os-release`: about 300 bytes a link, so the default allows some 900,000.
    public var maxSymlinkBytes = 256 << 20
    /// Most symbolic links followed while resolving one path.
    public var maxSymlinkHops = 40

    public init() {}
}
