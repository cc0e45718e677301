import Glibc
import BerthCore
import BerthCrypto
import HTTPClient

/// Signed S3 requests over `HTTPClient`, with retries: transport errors, 5xx and `SlowDown` are retried
/// with exponential backoff and jitter. Bodies are byte arrays, so every attempt can resend them.
final class S3Client: Sendable {
    let location: S3Location
    let signer: S3Signer
    let http: HTTPClient
    let maxAttempts: Int
    /// Bodies up to this size are signed; larger ones are sent as `UNSIGNED-PAYLOAD`.
    static let signedPayloadLimit = 1 << 20

    init(location: S3Location, credentials: S3Credentials, http: HTTPClient, maxAttempts: Int = 5) {
        self.location = location
        self.signer = S3Signer(credentials: credentials, region: location.region)
        self.http = http
        self.maxAttempts = maxAttempts
    }

    /// Sends a request and returns the response with its body unread. Statuses other than 5xx come back
    /// to the caller; 5xx and transport failures are retried, then thrown as `StorageError.io`.
    func send(_ method: String, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
              body: [UInt8] = []) async throws -> HTTPClientResponse {
        let queryText = S3Signer.canonicalQuery(query)
        let url = location.url(key: key, query: queryText)
        let path = String(url.target.prefix { $0 != "?" })
        let payloadHash = body.isEmpty ? S3Signer.emptyPayloadHash
            : body.count <= Self.signedPayloadLimit ? Hashing.digest(of: body).hex : S3Signer.unsignedPayload
        var attempt = 0
        while true {
            attempt += 1
            let base = headers + [("host", url.hostHeader)]
            let signed = signer.sign(method: method, path: path, query: query, headers: base,
                                     payloadHash: payloadHash, date: Int64(time(nil)))
            let request = HTTPClientRequest(method: method, url: url,
                                            headers: (headers + signed).map { (name: $0.0, value: $0.1) },
                                            body: body.isEmpty ? .none : .bytes(body))
            let failure: String
            do {
                let response = try await http.execute(request)
                if response.status < 500 { return response }
                let text = String(decoding: (try? await response.collect(limit: 64 * 1024)) ?? [], as: UTF8.self)
                failure = "\(method) \(key ?? "/"): \(response.status) \(S3XML.value("Code", in: text) ?? "")"
            } catch let error as HTTPClientError where error.isTransient {
                failure = "\(method) \(key ?? "/"): \(error)"
            } catch let error as HTTPClientError {
                throw StorageError.io("S3 \(method) \(key ?? "/"): \(error)")
            }
            guard attempt < maxAttempts else { throw StorageError.io("S3 " + failure) }
            Log.debug("s3: retrying after \(failure)")
            let backoff = min(2_000, 50 << attempt)
            try await Task.sleep(for: .milliseconds(backoff / 2 + Int.random(in: 0...(backoff / 2))))
        }
    }

    /// Sends a request, reads the whole (small) body, and throws `StorageError.io` unless the status is in
    /// `expected`.
    func call(_ method: String, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
              body: [UInt8] = [], expected: Set<Int> = [200]) async throws -> (status: Int, headers: HTTPClientResponse, body: [UInt8]) {
        let response = try await send(method, key: key, query: query, headers: headers, body: body)
        let bytes = try await response.collect(limit: 64 << 20)
        guard expected.contains(response.status) else {
            let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
            throw StorageError.io("S3 \(method) \(key ?? "/"): \(response.status) \(S3XML.value("Code", in: text) ?? "")"
                                  + " \(S3XML.value("Message", in: text) ?? "")")
        }
        return (response.status, response, bytes)
    }
}
