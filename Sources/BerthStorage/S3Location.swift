import HTTPClient

/// Where an `S3BlobStore` keeps its objects, parsed from
/// `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&style=path|virtual&redirect=true`.
public struct S3Location: Sendable, Equatable {
    /// Path-style (`host/bucket/key`) or virtual-host-style (`bucket.host/key`) addressing.
    public enum Style: String, Sendable { case path, virtual }

    public var bucket: String
    /// Key prefix without leading or trailing `/`; may be empty.
    public var prefix: String
    /// Scheme, host and port of the service.
    public var endpoint: HTTPClientURL
    public var region: String
    public var style: Style
    /// `redirect=true`: blob GETs are answered with a redirect to a presigned URL, so clients download
    /// straight from the object store.
    public var redirect: Bool

    /// Parses an `s3://` URL. Defaults: region `AWS_REGION` (else `us-east-1`), endpoint
    /// `https://s3.<region>.amazonaws.com`, style `path` with an explicit endpoint and `virtual` otherwise.
    public init(url: String) throws {
        guard url.hasPrefix("s3://") else { throw StorageError.io("S3 URL must start with s3://") }
        let rest = url.dropFirst(5)
        let (location, queryText) = rest.firstIndex(of: "?").map { (rest[..<$0], rest[rest.index(after: $0)...]) }
            ?? (rest, "")
        let slash = location.firstIndex(of: "/") ?? location.endIndex
        bucket = String(location[..<slash])
        guard !bucket.isEmpty, bucket.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }) else {
            throw StorageError.io("invalid S3 bucket name in \(url)")
        }
        prefix = location[slash...].split(separator: "/").joined(separator: "/")
        var options: [String: String] = [:]
        for pair in queryText.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            options[String(parts[0])] = parts.count > 1 ? Self.percentDecode(String(parts[1])) : ""
        }
        region = options["region"] ?? S3Credentials.environment("AWS_REGION") ?? "us-east-1"
        if let text = options["endpoint"] {
            guard let parsed = HTTPClientURL(text) else { throw StorageError.io("invalid S3 endpoint \(text)") }
            endpoint = parsed
        } else {
            endpoint = HTTPClientURL(scheme: "https", host: "s3.\(region).amazonaws.com")
        }
        let styleText = options["style"] ?? (options["endpoint"] == nil ? "virtual" : "path")
        guard let style = Style(rawValue: styleText) else { throw StorageError.io("S3 style must be path or virtual") }
        self.style = style
        redirect = options["redirect"] == "true"
    }

    /// The full key for `relative` under the prefix.
    func key(_ relative: String) -> String { prefix.isEmpty ? relative : prefix + "/" + relative }

    /// URL of `key` (nil: the bucket itself) with an already-encoded query.
    func url(key: String?, query: String) -> HTTPClientURL {
        let encodedKey = key.map { S3Signer.uriEncode($0, keepSlash: true) }
        var url = endpoint
        switch style {
        case .path:
            url.target = "/" + bucket + (encodedKey.map { "/" + $0 } ?? "")
        case .virtual:
            url.host = bucket + "." + endpoint.host
            url.target = "/" + (encodedKey ?? "")
        }
        if !query.isEmpty { url.target += "?" + query }
        return url
    }

    static func percentDecode(_ text: String) -> String {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "%"), bytes.count >= 2,
               let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
