internal import CZlib

/// Inflates a raw DEFLATE stream (no zlib or gzip header), as stored in zip entries.
enum RawInflater {
    /// Inflates `input`, expecting exactly `expectedSize` bytes out and refusing more than `limit`.
    static func inflate(_ input: [UInt8], expectedSize: Int, limit: Int) throws -> [UInt8] {
        guard expectedSize <= limit else { throw ImportError.tooLarge("zip entry", limit: limit) }
        var stream = z_stream()
        let rc = inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw ImportError.malformed("zip entry", "inflateInit2 failed (\(rc))") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expectedSize, 1))
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            throw ImportError.malformed("zip entry", status == Z_BUF_ERROR
                ? "inflated data larger than declared size" : "corrupt deflate data (\(status))")
        }
        guard Int(stream.total_out) == expectedSize else {
            throw ImportError.malformed("zip entry", "inflated size \(stream.total_out) differs from declared \(expectedSize)")
        }
        return Array(output.prefix(expectedSize))
    }
}
