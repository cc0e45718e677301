internal import COpenSSL

/// Keyed message authentication codes.
public enum HMAC {
    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        // OpenSSL wants a non-null key pointer even for an empty key.
        let keyStorage = key.isEmpty ? [UInt8(0)] : key
        let result = keyStorage.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                out.withUnsafeMutableBufferPointer { outBytes in
                    COpenSSL.HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(key.count),
                                  messageBytes.baseAddress, messageBytes.count, outBytes.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && length == 32, "HMAC-SHA256 failed")
        return out
    }

    /// HMAC-SHA256 of the UTF-8 bytes of `message`.
    public static func sha256(key: [UInt8], message: String) -> [UInt8] {
        sha256(key: key, message: Array(message.utf8))
    }
}
