import BerthCore

extension ImageScanner {
    /// The inventory of the image made of `layers`, with every blocking read, decompression and tar
    /// parse on `pool`, so it is safe to call from the cooperative pool whatever the inputs are.
    ///
    /// File regions are read with `pread` on a pool thread. Stream chunks (object storage) are gathered
    /// on the caller up to `batchSize` bytes, then each batch is decompressed and parsed on a pool thread
    /// while the caller waits; memory stays at one batch plus the scan's own bounded state.
    public func scan(_ layers: [LayerInput], on pool: BlockingPool, batchSize: Int = 1 << 20) async throws -> ImageInventory {
        let box = ScanBox(ImageScan(limits: limits))
        for layer in layers {
            try Task.checkCancellation()
            let digest = layer.digest
            switch layer.content {
            case .file(let region):
                try await pool.run { [self] in
                    box.scan.beginLayer(digest: digest)
                    try read(region, into: box.scan)
                    try box.scan.endLayer()
                }
            case .stream(let stream, let length):
                try await pool.run { box.scan.beginLayer(digest: digest) }
                var received: Int64 = 0
                var batch: [UInt8] = []
                batch.reserveCapacity(batchSize)
                for try await chunk in stream {
                    received += Int64(chunk.count)
                    batch.append(contentsOf: chunk)
                    guard batch.count >= batchSize else { continue }
                    let full = batch
                    batch.removeAll(keepingCapacity: true)
                    try await pool.run { try box.scan.consume(full) }
                    try Task.checkCancellation()
                }
                guard received == length else {
                    throw LayerError.readFailed("stream of \(received) bytes, expected \(length)")
                }
                let last = batch
                try await pool.run {
                    if !last.isEmpty { try box.scan.consume(last) }
                    try box.scan.endLayer()
                }
            }
        }
        return try await pool.run { try box.scan.finish() }
    }
}

/// Carries one `ImageScan` across pool jobs.
///
/// `@unchecked Sendable` is safe because the scan is touched by one pool job at a time: `scan(_:on:)`
/// awaits each `pool.run` before starting the next, and that await orders the jobs' memory accesses.
private final class ScanBox: @unchecked Sendable {
    let scan: ImageScan
    init(_ scan: ImageScan) { self.scan = scan }
}
