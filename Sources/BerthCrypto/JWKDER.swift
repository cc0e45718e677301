/// The little DER (ASN.1) that JWK keys need: SubjectPublicKeyInfo for RSA and P-256 keys, and the
/// `ECDSA-Sig-Value` that OpenSSL uses where JWS uses raw `r || s`.
enum JWKDER {
    static let rsaEncryptionOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    static let ecPublicKeyOID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    static let prime256v1OID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]

    /// Tag, definite length, content.
    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length = content.count
            var bytes: [UInt8] = []
            while length > 0 {
                bytes.insert(UInt8(length & 0xFF), at: 0)
                length >>= 8
            }
            out.append(0x80 | UInt8(bytes.count))
            out += bytes
        }
        return out + content
    }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    static func unsignedInteger(_ magnitude: [UInt8]) -> [UInt8] {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.isEmpty { bytes = [0] }
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return element(0x02, bytes)
    }

    static func sequence(_ parts: [UInt8]...) -> [UInt8] { element(0x30, parts.flatMap { $0 }) }

    /// SubjectPublicKeyInfo of an RSA key.
    static func rsaPublicKey(modulus: [UInt8], exponent: [UInt8]) -> [UInt8] {
        let key = sequence(unsignedInteger(modulus), unsignedInteger(exponent))
        return sequence(sequence(element(0x06, rsaEncryptionOID), [0x05, 0x00]), element(0x03, [0] + key))
    }

    /// SubjectPublicKeyInfo of a P-256 key from its affine coordinates (32 bytes each).
    static func p256PublicKey(x: [UInt8], y: [UInt8]) -> [UInt8] {
        sequence(sequence(element(0x06, ecPublicKeyOID), element(0x06, prime256v1OID)),
                 element(0x03, [0, 0x04] + x + y))
    }

    /// `r || s` (each `size` bytes) as a DER `SEQUENCE { INTEGER r, INTEGER s }`.
    static func ecdsaSignature(raw: [UInt8], size: Int) -> [UInt8]? {
        guard raw.count == 2 * size else { return nil }
        return sequence(unsignedInteger(Array(raw[0..<size])), unsignedInteger(Array(raw[size...])))
    }

    /// A DER ECDSA signature as `r || s`, each left-padded to `size` bytes.
    static func rawECDSASignature(der: [UInt8], size: Int) -> [UInt8]? {
        var reader = Reader(bytes: der)
        guard let body = reader.read(tag: 0x30), reader.isAtEnd else { return nil }
        var inner = Reader(bytes: body)
        guard let r = inner.read(tag: 0x02), let s = inner.read(tag: 0x02), inner.isAtEnd else { return nil }
        func pad(_ value: [UInt8]) -> [UInt8]? {
            let trimmed = Array(value.drop { $0 == 0 })
            guard trimmed.count <= size else { return nil }
            return [UInt8](repeating: 0, count: size - trimmed.count) + trimmed
        }
        guard let rr = pad(r), let ss = pad(s) else { return nil }
        return rr + ss
    }

    /// Reads tag-length-value elements with short or long lengths.
    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var isAtEnd: Bool { index == bytes.count }

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func read(tag: UInt8) -> [UInt8]? {
            guard index + 2 <= bytes.count, bytes[index] == tag else { return nil }
            var length = Int(bytes[index + 1])
            index += 2
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count >= 1, count <= 4, index + count <= bytes.count else { return nil }
                length = bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
                index += count
            }
            guard length >= 0, index + length <= bytes.count else { return nil }
            defer { index += length }
            return Array(bytes[index..<(index + length)])
        }
    }
}
