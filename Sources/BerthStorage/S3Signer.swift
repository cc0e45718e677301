import Glibc
import BerthCrypto

/// AWS Signature Version 4 (header and query-string forms) for S3-style requests.
///
/// The caller passes the path already URI-encoded the S3 way (each byte outside `A-Za-z0-9-._~/` as `%XX`,
/// encoded once), so the path sent and the path signed are the same text. Query parameters are given raw
/// and encoded here; `canonicalQuery` returns the text to send.
public struct S3Signer: Sendable {
    public var credentials: S3Credentials
    public var region: String
    public var service: String

    /// Hex SHA-256 of the empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// Payload hash value that leaves the body unsigned (large uploads).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Headers to add to a request: `x-amz-date`, `x-amz-content-sha256` (S3 only), the session token when
    /// there is one, and `Authorization`. `headers` must include `host`.
    public func sign(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                     payloadHash: String, date: Int64) -> [(String, String)] {
        let stamp = Self.timestamp(date)
        var added: [(String, String)] = [("x-amz-date", stamp)]
        if service == "s3" && !headers.contains(where: { $0.0.lowercased() == "x-amz-content-sha256" }) {
            added.append(("x-amz-content-sha256", payloadHash))
        }
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers + added)
        let canonical = [method, path, Self.canonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let signature = self.signature(canonical: canonical, stamp: stamp)
        added.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(stamp)), "
                      + "SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        return added
    }

    /// The query parameters of a presigned request (to append to `query`), signing only `host`.
    public func presign(method: String, path: String, query: [(String, String)], host: String,
                        expiresSeconds: Int, date: Int64) -> [(String, String)] {
        let stamp = Self.timestamp(date)
        var parameters = query + [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(stamp))"),
            ("X-Amz-Date", stamp),
            ("X-Amz-Expires", String(expiresSeconds)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        let canonical = [method, path, Self.canonicalQuery(parameters), "host:\(host)\n", "host", Self.unsignedPayload]
            .joined(separator: "\n")
        parameters.append(("X-Amz-Signature", signature(canonical: canonical, stamp: stamp)))
        return parameters
    }

    func scope(_ stamp: String) -> String { "\(stamp.prefix(8))/\(region)/\(service)/aws4_request" }

    /// Hex signature of a canonical request.
    func signature(canonical: String, stamp: String) -> String {
        let stringToSign = "AWS4-HMAC-SHA256\n\(stamp)\n\(scope(stamp))\n" + Hashing.digest(of: Array(canonical.utf8)).hex
        var key = HMAC.sha256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), message: String(stamp.prefix(8)))
        for part in [region, service, "aws4_request"] { key = HMAC.sha256(key: key, message: part) }
        return Hex.encode(HMAC.sha256(key: key, message: stringToSign))
    }

    /// Lowercased, trimmed (inner whitespace runs collapsed), sorted `name:value\n` lines and the signed list.
    static func canonicalHeaders(_ headers: [(String, String)]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let collapsed = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            merged[name.lowercased(), default: []].append(collapsed)
        }
        let names = merged.keys.sorted()
        let text = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (text, names.joined(separator: ";"))
    }

    /// Parameters encoded and sorted by name, then value.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0), uriEncode($0.1)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 encoding of every byte except unreserved characters (and `/` when `keepSlash`).
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYYMMDDTHHMMSSZ` for Unix time `date`.
    public static func timestamp(_ date: Int64) -> String {
        var seconds = time_t(date)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }
}
