/// A push-style streaming decompressor: input chunks go in, decompressed chunks go to a sink.
protocol LayerDecompressor: AnyObject {
    /// Decompresses `input`, handing every produced chunk to `sink` before returning.
    func feed(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Checks that the stream ended cleanly (not truncated).
    func finish() throws
}

/// The compression of a layer, detected from its first bytes.
public enum LayerCompression: String, Sendable, Codable {
    case gzip, zstd, none

    /// Detects gzip (`1f 8b`) and zstd (`28 b5 2f fd`) magic; anything else is taken as plain tar.
    static func detect(_ prefix: UnsafeRawBufferPointer) -> LayerCompression {
        if prefix.count >= 2, prefix[0] == 0x1F, prefix[1] == 0x8B { return .gzip }
        if prefix.count >= 4, prefix[0] == 0x28, prefix[1] == 0xB5, prefix[2] == 0x2F, prefix[3] == 0xFD { return .zstd }
        return .none
    }

    func makeDecompressor() throws -> any LayerDecompressor {
        switch self {
        case .gzip: return try GzipDecompressor()
        case .zstd: return try ZstdDecompressor()
        case .none: return PassthroughDecompressor()
        }
    }
}

/// The identity "decompressor" for uncompressed layers.
final class PassthroughDecompressor: LayerDecompressor {
    func feed(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !input.isEmpty { try sink(input) }
    }
    func finish() throws {}
}
