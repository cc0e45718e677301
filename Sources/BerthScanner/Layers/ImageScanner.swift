import BerthCore
import Glibc

/// One layer blob to scan.
public struct LayerInput: Sendable {
    /// The blob's digest, recorded where packages were found.
    public var digest: String
    /// The blob's bytes. A `.file` region's descriptor stays owned by the caller (not closed here).
    public var content: BlobContent

    public init(digest: String, content: BlobContent) {
        self.digest = digest
        self.content = content
    }
}

/// Scans an image's layers (bottom first) into an `ImageInventory`, reading each layer once.
///
/// File regions are read with blocking `pread` into one reused buffer: run `scan` on an executor
/// meant for blocking work, not on the cooperative pool.
public struct ImageScanner: Sendable {
    public var limits: LayerLimits
    /// Bytes per read from a file region.
    public var readSize: Int

    public init(limits: LayerLimits = LayerLimits(), readSize: Int = 1 << 20) {
        self.limits = limits
        self.readSize = readSize
    }

    /// The inventory of the image made of `layers`, decompressed and parsed on the calling task.
    /// From the cooperative pool prefer `scan(_:on:batchSize:)`, which moves that work to a `BlockingPool`.
    public func scan(_ layers: [LayerInput]) async throws -> ImageInventory {
        let scan = ImageScan(limits: limits)
        for layer in layers {
            scan.beginLayer(digest: layer.digest)
            switch layer.content {
            case .file(let region):
                try read(region, into: scan)
            case .stream(let stream, let length):
                var received: Int64 = 0
                for try await chunk in stream {
                    received += Int64(chunk.count)
                    try scan.consume(chunk)
                }
                guard received == length else {
                    throw LayerError.readFailed("stream of \(received) bytes, expected \(length)")
                }
            }
            try scan.endLayer()
        }
        return try scan.finish()
    }

    /// The inventory of an image whose layers are all file regions, read with blocking `pread` on the
    /// calling thread: call it from a blocking-work pool, never from the cooperative pool.
    public func scanFiles(_ layers: [LayerInput]) throws -> ImageInventory {
        let scan = ImageScan(limits: limits)
        for layer in layers {
            guard case .file(let region) = layer.content else {
                throw LayerError.readFailed("layer \(layer.digest) is not a file")
            }
            scan.beginLayer(digest: layer.digest)
            try read(region, into: scan)
            try scan.endLayer()
        }
        return try scan.finish()
    }

    /// Reads `region` with blocking `pread` into one buffer of `readSize` bytes, feeding `scan`.
    func read(_ region: FileRegion, into scan: ImageScan) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = region.offset
        let end = region.offset + region.length
        while offset < end {
            let want = Int(min(Int64(readSize), end - offset))
            let n = pread(region.fd, buffer.baseAddress, want, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw LayerError.readFailed("pread: errno \(errno)")
            }
            guard n > 0 else { throw LayerError.readFailed("unexpected end of file at offset \(offset)") }
            try scan.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += Int64(n)
        }
    }
}
