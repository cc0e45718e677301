internal import CZstd

/// Streaming zstd decoder (`ZSTD_decompressStream`), accepting concatenated frames.
final class ZstdDecompressor: LayerDecompressor {
    private let context: OpaquePointer
    private var output: UnsafeMutableRawBufferPointer
    private var frameComplete = false
    private var sawInput = false

    init(outputSize: Int = 256 << 10) throws {
        guard let ctx = ZSTD_createDCtx() else { throw LayerError.corruptCompression("cannot create zstd context") }
        context = ctx
        // Cap the window (memory per stream) at 128 MiB, zstd's default for untrusted input.
        _ = ZSTD_DCtx_setParameter(ctx, ZSTD_d_windowLogMax, 27)
        output = .allocate(byteCount: outputSize, alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        output.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        sawInput = true
        var inBuffer = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        while true {
            var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let rc = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
            if ZSTD_isError(rc) != 0 {
                throw LayerError.corruptCompression(String(cString: ZSTD_getErrorName(rc)))
            }
            frameComplete = rc == 0
            if outBuffer.pos > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<outBuffer.pos])) }
            if inBuffer.pos == inBuffer.size && outBuffer.pos < outBuffer.size { break }
        }
    }

    func finish() throws {
        guard sawInput else { throw LayerError.corruptCompression("empty zstd stream") }
        guard frameComplete else { throw LayerError.corruptCompression("zstd stream truncated") }
    }
}
