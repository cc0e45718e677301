import BerthCrypto

/// The state of an S3 upload session, stored as the small text object `uploads/<id>/state` and replaced
/// after every acknowledged append, so that any node can continue the session.
struct S3UploadState: Sendable {
    /// One uploaded multipart part.
    struct Part: Sendable, Equatable {
        var number: Int
        var size: Int64
        var etag: String
    }

    /// Acknowledged bytes: the parts plus the tail.
    var size: Int64
    /// SHA-256 state over exactly those bytes.
    var hasher: ContentHasher
    /// Key the multipart upload writes (and completes) to: the blob's final data object.
    var dataKey: String
    /// S3 multipart UploadId, created with the first full part.
    var uploadID: String?
    var parts: [Part]
    /// Object holding the bytes after the last part (shorter than a part), when there are any.
    var tailKey: String?
    var tailSize: Int64

    private static let magic = "BS3U1"

    init(dataKey: String) {
        size = 0
        hasher = ContentHasher(algorithm: .sha256)
        self.dataKey = dataKey
        uploadID = nil
        parts = []
        tailKey = nil
        tailSize = 0
    }

    /// Bytes held in parts.
    var partBytes: Int64 { parts.reduce(0) { $0 + $1.size } }

    /// One `name value` line per field.
    func encoded() -> [UInt8] {
        var lines = [Self.magic, "size \(size)", "hash \(Hex.encode(hasher.exportState()))", "data \(dataKey)"]
        if let uploadID { lines.append("upload \(uploadID)") }
        if let tailKey { lines.append("tail \(tailSize) \(tailKey)") }
        for part in parts { lines.append("part \(part.number) \(part.size) \(part.etag)") }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Decodes `encoded()`; nil when malformed or inconsistent.
    init?(decoding bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == Substring(Self.magic) else { return nil }
        var size: Int64?, hasher: ContentHasher?, dataKey: String?
        self.init(dataKey: "")
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
            guard fields.count >= 2 else { return nil }
            switch fields[0] {
            case "size": size = Int64(fields[1])
            case "hash": hasher = Hex.decode(fields[1]).flatMap { ContentHasher(algorithm: .sha256, state: $0) }
            case "data": dataKey = fields[1]
            case "upload": uploadID = fields[1]
            case "tail":
                guard fields.count == 3, let count = Int64(fields[1]) else { return nil }
                tailSize = count
                tailKey = fields[2]
            case "part":
                guard fields.count == 4, let number = Int(fields[1]), let count = Int64(fields[2]) else { return nil }
                parts.append(Part(number: number, size: count, etag: fields[3]))
            default: return nil
            }
        }
        guard let size, let hasher, let dataKey, size == partBytes + tailSize else { return nil }
        self.size = size
        self.hasher = hasher
        self.dataKey = dataKey
    }
}
