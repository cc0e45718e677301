/// A file the inventory analyzers asked for, kept in memory from the layer that last wrote it:
/// either its bytes (small metadata files) or packages already extracted while streaming
/// (Go binaries, Java archives).
struct CollectedFile: Sendable {
    enum Content: Sendable {
        case bytes([UInt8])
        case packages([InstalledPackage])
    }

    var kind: InventoryFileKind
    /// Index of the layer (bottom = 0) that holds the visible version.
    var layerIndex: Int
    var content: Content

    /// Bytes held in memory for this file.
    var byteCount: Int {
        switch content {
        case .bytes(let b): return b.count
        case .packages(let p): return p.count * 64
        }
    }
}

/// One layer's contribution to the image view: the files it wrote that analyzers want, its
/// symbolic links, and what it hides from the layers below.
struct LayerSnapshot: Sendable {
    var files: [String: CollectedFile] = [:]
    var symlinks: [String: String] = [:]
    /// Paths removed from lower layers with their subtrees (`.wh.<name>`, or replaced by another type).
    var whiteouts: Set<String> = []
    /// Directories whose lower-layer contents are hidden (`.wh..wh..opq`).
    var opaqueDirectories: Set<String> = []
    var warnings: [String] = []
}
