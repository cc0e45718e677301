internal import CZlib

/// CRC-32 (zip/gzip polynomial) through zlib.
enum CRC32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buf in
            UInt32(crc32(0, buf.baseAddress, uInt(buf.count)))
        }
    }
}
