/// A synchronous, push-style scan of an image's layers, bottom layer first: feed each layer's
/// (compressed) bytes between `beginLayer` and `endLayer`, then `finish` for the inventory.
///
/// Nothing is written to disk; memory holds only the analyzers' files (bounded by `LayerLimits`)
/// and fixed-size decompression buffers. Any `LayerError` leaves the scan failed.
public final class ImageScan {
    public let limits: LayerLimits
    private var tree = ImageFileTree()
    private var digests: [String] = []
    private var warnings: [String] = []
    private var imageBytes: Int64 = 0
    private var current: LayerStream?

    public init(limits: LayerLimits = LayerLimits()) {
        self.limits = limits
    }

    /// Starts the next layer (its blob digest is recorded as where packages were found).
    public func beginLayer(digest: String) {
        digests.append(digest)
        let collector = LayerCollector(limits: limits, layerIndex: digests.count - 1, lower: tree)
        current = LayerStream(limits: limits, collector: collector)
    }

    /// Feeds the next chunk of the current layer's blob.
    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard let layer = current else { throw LayerError.readFailed("consume called outside a layer") }
        try layer.consume(chunk) { produced in
            imageBytes += Int64(produced)
            if imageBytes > limits.maxImageBytes {
                throw LayerError.decompressedSizeExceeded(scope: "image", limit: limits.maxImageBytes)
            }
        }
    }

    /// Feeds a chunk held in an array.
    public func consume(_ chunk: [UInt8]) throws {
        try chunk.withUnsafeBytes { try consume($0) }
    }

    /// Ends the current layer and merges it into the image view.
    public func endLayer() throws {
        guard let layer = current else { throw LayerError.readFailed("endLayer called outside a layer") }
        current = nil
        let snapshot = try layer.finish()
        warnings += snapshot.warnings
        tree.apply(snapshot)
    }

    /// The inventory of the final image view.
    public func finish() throws -> ImageInventory {
        guard current == nil else { throw LayerError.readFailed("finish called inside a layer") }
        return try InventoryBuilder(tree: tree, layerDigests: digests, limits: limits, warnings: warnings).build()
    }
}

/// One layer in flight: compression detection, decompression, size bounds and tar parsing.
final class LayerStream {
    private let limits: LayerLimits
    private let collector: LayerCollector
    private let tar: TarReader
    private var decompressor: (any LayerDecompressor)?
    private var head: [UInt8] = []
    private var layerBytes: Int64 = 0

    init(limits: LayerLimits, collector: LayerCollector) {
        self.limits = limits
        self.collector = collector
        self.tar = TarReader(limits: limits, visitor: collector)
    }

    func consume(_ chunk: UnsafeRawBufferPointer, counted: (Int) throws -> Void) throws {
        if decompressor == nil {
            // Detect the compression from the first four bytes, however the input is chunked.
            head.append(contentsOf: chunk)
            guard head.count >= 4 else { return }
            let pending = head
            head = []
            decompressor = try pending.withUnsafeBytes { try LayerCompression.detect($0).makeDecompressor() }
            try pending.withUnsafeBytes { try feed($0, counted) }
            return
        }
        try feed(chunk, counted)
    }

    private func feed(_ chunk: UnsafeRawBufferPointer, _ counted: (Int) throws -> Void) throws {
        try decompressor!.feed(chunk) { out in
            layerBytes += Int64(out.count)
            guard layerBytes <= limits.maxLayerBytes else {
                throw LayerError.decompressedSizeExceeded(scope: "layer", limit: limits.maxLayerBytes)
            }
            try counted(out.count)
            try tar.consume(out)
        }
    }

    func finish() throws -> LayerSnapshot {
        if decompressor == nil {
            guard !head.isEmpty else { return collector.snapshot }
            let pending = head
            head = []
            decompressor = try pending.withUnsafeBytes { try LayerCompression.detect($0).makeDecompressor() }
            try pending.withUnsafeBytes { try feed($0) { _ in } }
        }
        try decompressor!.finish()
        try tar.finish()
        return collector.snapshot
    }
}
