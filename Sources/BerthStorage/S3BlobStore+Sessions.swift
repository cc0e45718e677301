import BerthCore
import BerthCrypto

/// Session state objects and multipart calls for `S3BlobStore` uploads.
extension S3BlobStore {
    func stateKey(_ id: String) -> String { client.location.key("uploads/\(id)/state") }

    func claim(_ id: String) -> Bool { busyUploads.withLock { $0.insert(id).inserted } }
    func release(_ id: String) { busyUploads.withLock { _ = $0.remove(id) } }

    /// The session's state and the ETag of its state object; `uploadNotFound` when there is none.
    func loadState(_ id: String) async throws -> (S3UploadState, etag: String?) {
        guard FileSystemBlobStore.isValidUploadID(id) else { throw StorageError.uploadNotFound }
        let response = try await client.call("GET", key: stateKey(id), expected: [200, 404])
        guard response.status == 200 else { throw StorageError.uploadNotFound }
        guard let state = S3UploadState(decoding: response.body) else {
            throw StorageError.io("corrupt upload state for \(id)")
        }
        return (state, response.headers.header("ETag"))
    }

    /// Replaces the state object. With `ifMatch`, a store that supports conditional writes refuses the write
    /// when another node changed the session meanwhile (412), reported as `offsetMismatch`.
    func saveState(_ state: S3UploadState, id: String, ifMatch: String?) async throws {
        let headers = ifMatch.map { [("If-Match", $0)] } ?? []
        let response = try await client.call("PUT", key: stateKey(id), headers: headers, body: state.encoded(),
                                             expected: [200, 412])
        if response.status == 412 {
            let current = (try? await loadState(id))?.0.size ?? state.size
            throw StorageError.offsetMismatch(current: current)
        }
    }

    func readObject(_ key: String) async throws -> [UInt8] {
        try await client.call("GET", key: key, expected: [200]).body
    }

    func createMultipart(_ key: String) async throws -> String {
        let response = try await client.call("POST", key: key, query: [("uploads", "")])
        guard let id = S3XML.value("UploadId", in: String(decoding: response.body, as: UTF8.self)) else {
            throw StorageError.io("S3 CreateMultipartUpload: no UploadId")
        }
        return id
    }

    func uploadPart(_ key: String, uploadID: String, number: Int, bytes: [UInt8]) async throws -> S3UploadState.Part {
        let response = try await client.call("PUT", key: key,
                                             query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes)
        guard let etag = response.headers.header("ETag") else { throw StorageError.io("S3 UploadPart: no ETag") }
        return S3UploadState.Part(number: number, size: Int64(bytes.count), etag: etag)
    }

    /// Completes the multipart upload in place; S3 may report errors inside a 200 response.
    func completeMultipart(_ key: String, uploadID: String, parts: [S3UploadState.Part]) async throws {
        var xml = "<CompleteMultipartUpload>"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await client.call("POST", key: key, query: [("uploadId", uploadID)], body: Array(xml.utf8))
        let text = String(decoding: response.body, as: UTF8.self)
        if text.contains("<Error>") {
            throw StorageError.io("S3 CompleteMultipartUpload: \(S3XML.value("Code", in: text) ?? "error")")
        }
    }

    func abortMultipart(_ key: String, uploadID: String) async throws {
        _ = try await client.call("DELETE", key: key, query: [("uploadId", uploadID)], expected: [200, 204, 404])
    }

    /// Keys and modification times under `prefix` (ListObjectsV2, all pages).
    func list(prefix: String) async throws -> [(key: String, modified: Int64)] {
        var out: [(key: String, modified: Int64)] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await client.call("GET", key: nil, query: query)
            let text = String(decoding: response.body, as: UTF8.self)
            for entry in S3XML.blocks("Contents", in: text) {
                guard let key = S3XML.value("Key", in: entry) else { continue }
                out.append((key, S3XML.value("LastModified", in: entry).flatMap(S3XML.unixTime) ?? 0))
            }
            token = S3XML.value("IsTruncated", in: text) == "true" ? S3XML.value("NextContinuationToken", in: text) : nil
        } while token != nil
        return out
    }

    /// Removes every object of a session (state last) and aborts its multipart upload.
    func removeSession(_ id: String, state: S3UploadState?) async throws {
        if let state, let uploadID = state.uploadID { try await abortMultipart(state.dataKey, uploadID: uploadID) }
        let prefix = client.location.key("uploads/\(id)/")
        for object in try await list(prefix: prefix) where object.key != stateKey(id) {
            _ = try await client.call("DELETE", key: object.key, expected: [200, 204, 404])
        }
        _ = try await client.call("DELETE", key: stateKey(id), expected: [200, 204, 404])
    }
}
