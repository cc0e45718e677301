internal import CZlib

/// Streaming gzip decoder over zlib (`inflateInit2` with window bits 47: gzip or zlib, detected),
/// accepting concatenated members and trailing zero padding.
final class GzipDecompressor: LayerDecompressor {
    /// Heap-allocated because zlib's state keeps a pointer back to its `z_stream`.
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: UnsafeMutableRawBufferPointer
    private var memberEnded = false
    private var sawInput = false

    init(outputSize: Int = 256 << 10) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: outputSize, alignment: 16)
        let rc = inflateInit2_(stream, 47, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate(); output.deallocate()
            throw LayerError.corruptCompression("inflateInit2 failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        sawInput = true
        var offset = 0
        while offset < input.count {
            if memberEnded {
                // Another gzip member follows, or zero padding that gzip(1) also tolerates.
                if input[offset...].allSatisfy({ $0 == 0 }) { return }
                guard inflateReset(stream) == Z_OK else { throw LayerError.corruptCompression("inflateReset failed") }
                memberEnded = false
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count - offset)
            while true {
                stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(output.count)
                let rc = inflate(stream, Z_NO_FLUSH)
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
                if rc == Z_STREAM_END { memberEnded = true; break }
                if rc == Z_BUF_ERROR { break }
                guard rc == Z_OK else {
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "inflate error \(rc)"
                    throw LayerError.corruptCompression(message)
                }
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { break }
            }
            offset = input.count - Int(stream.pointee.avail_in)
        }
    }

    func finish() throws {
        guard sawInput else { throw LayerError.corruptCompression("empty gzip stream") }
        guard memberEnded else { throw LayerError.corruptCompression("gzip stream truncated") }
    }
}
