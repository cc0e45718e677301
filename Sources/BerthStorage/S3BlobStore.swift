import Glibc
import Synchronization
import BerthCore
import BerthCrypto
import HTTPClient

/// A `BlobStore` on an S3-compatible object store.
///
/// Keys under the location's prefix: `blobs/<alg>/<2 hex>/<hex>` for blobs, `uploads/<id>/state` and
/// `uploads/<id>/tail-<n>` for sessions, `data/<random>` for the data objects of multipart uploads. A blob
/// committed from a multipart upload is completed in place at its data object (no copy) and its blob key
/// holds an empty pointer object whose metadata names the data object and size; other blobs are stored
/// directly at the blob key. See docs/adr/0006-s3-uploads.md.
public final class S3BlobStore: BlobStore {
    let client: S3Client
    /// Bytes gathered into one multipart part (at least 5 MiB, S3's minimum for all but the last part).
    let partSize: Int
    /// Upload ids with an append or commit in progress in this process.
    let busyUploads = Mutex<Set<String>>([])

    static let pointerHeader = "x-amz-meta-berth-data"
    static let pointerSizeHeader = "x-amz-meta-berth-size"

    /// Opens a store at `url` (see `S3Location`). Credentials default to the `AWS_*` environment.
    public init(url: String, credentials: S3Credentials? = nil, partSize: Int = 16 << 20,
                http: HTTPClient = HTTPClient()) throws {
        guard let credentials = credentials ?? S3Credentials.fromEnvironment() else {
            throw StorageError.io("S3 credentials missing (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
        }
        let location = try S3Location(url: url)
        client = S3Client(location: location, credentials: credentials, http: http)
        self.partSize = max(partSize, 5 << 20)
    }

    /// The store's location.
    public var location: S3Location { client.location }

    func blobKey(_ digest: Digest) -> String {
        client.location.key("blobs/\(digest.algorithm.rawValue)/\(digest.hex.prefix(2))/\(digest.hex)")
    }

    /// Size and the key holding the bytes (the blob key itself or, for a pointer, its data object).
    func locate(_ digest: Digest) async throws -> (size: Int64, key: String)? {
        let key = blobKey(digest)
        let response = try await client.call("HEAD", key: key, expected: [200, 404])
        guard response.status == 200 else { return nil }
        let head = response.headers
        if let target = head.header(Self.pointerHeader), let size = head.header(Self.pointerSizeHeader).flatMap({ Int64($0) }) {
            return (size, target)
        }
        guard let size = head.contentLength ?? head.header("Content-Length").flatMap({ Int64($0) }) else {
            throw StorageError.io("S3 HEAD \(key): no Content-Length")
        }
        return (size, key)
    }

    public func size(of digest: Digest) async throws -> Int64? {
        try await locate(digest)?.size
    }

    /// A ranged GET streamed as it arrives; `range` is clamped to the blob and must start within it.
    public func read(_ digest: Digest, range: Range<Int64>?) async throws -> BlobContent {
        guard let (size, key) = try await locate(digest) else { throw StorageError.notFound }
        let lower = range?.lowerBound ?? 0
        let upper = min(range?.upperBound ?? size, size)
        guard lower >= 0, lower <= size else { throw StorageError.io("range \(range!) outside blob of \(size) bytes") }
        let length = max(0, upper - lower)
        if length == 0 { return .stream(ByteStream { $0.finish() }, length: 0) }
        let response = try await client.send("GET", key: key, headers: [("Range", "bytes=\(lower)-\(upper - 1)")])
        guard response.status == 206 || (response.status == 200 && lower == 0 && upper == size) else {
            _ = try? await response.collect(limit: 64 * 1024)
            if response.status == 404 { throw StorageError.notFound }
            throw StorageError.io("S3 GET \(key): status \(response.status)")
        }
        return .stream(response.body, length: length)
    }

    public func write(_ bytes: [UInt8], as digest: Digest) async throws {
        let actual = Hashing.digest(of: bytes, algorithm: digest.algorithm)
        guard actual == digest else { throw StorageError.digestMismatch(actual: actual) }
        if try await locate(digest) != nil { return }
        _ = try await client.call("PUT", key: blobKey(digest), body: bytes)
    }

    /// Removes the blob key first, then a pointer's data object, so no pointer ever dangles.
    public func delete(_ digest: Digest) async throws {
        let located = try await locate(digest)
        _ = try await client.call("DELETE", key: blobKey(digest), expected: [200, 204, 404])
        if let located, located.key != blobKey(digest) {
            _ = try await client.call("DELETE", key: located.key, expected: [200, 204, 404])
        }
    }

    /// A presigned URL valid for ten minutes when the location asks for redirects (`redirect=true`).
    public func redirectURL(for digest: Digest) async throws -> String? {
        guard location.redirect else { return nil }
        return try await presignedURL(for: digest, expires: 600)
    }

    /// A presigned GET URL for the blob's bytes, valid for `expires` seconds (at most 7 days), for
    /// redirecting clients to the object store. Throws `StorageError.notFound` for a missing blob.
    public func presignedURL(for digest: Digest, expires: Int) async throws -> String {
        guard let (_, key) = try await locate(digest) else { throw StorageError.notFound }
        return presignedURL(key: key, expires: expires, date: Int64(time(nil)))
    }

    func presignedURL(key: String, expires: Int, date: Int64) -> String {
        let url = client.location.url(key: key, query: "")
        let parameters = client.signer.presign(method: "GET", path: url.target, query: [], host: url.hostHeader,
                                               expiresSeconds: min(max(expires, 1), 604_800), date: date)
        return url.text + "?" + S3Signer.canonicalQuery(parameters)
    }
}
