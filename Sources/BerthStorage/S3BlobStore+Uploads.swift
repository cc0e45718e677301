import Glibc
import BerthCore
import BerthCrypto

extension S3BlobStore {
    /// Creates the session's state object. Ids must match `[A-Za-z0-9_-]{1,128}` and be new.
    public func startUpload(id: String) async throws {
        guard FileSystemBlobStore.isValidUploadID(id) else { throw StorageError.io("invalid upload id") }
        let head = try await client.call("HEAD", key: stateKey(id), expected: [200, 404])
        guard head.status == 404 else { throw StorageError.io("upload \(id) already exists") }
        let state = S3UploadState(dataKey: client.location.key("data/" + SecureRandom.hexToken(bytes: 16)))
        let response = try await client.call("PUT", key: stateKey(id), headers: [("If-None-Match", "*")],
                                             body: state.encoded(), expected: [200, 412])
        guard response.status == 200 else { throw StorageError.io("upload \(id) already exists") }
    }

    /// Appends the body: bytes are hashed as they arrive and every `partSize` bytes become a multipart part;
    /// the rest is stored as the session's new tail object. Only the final state write acknowledges the
    /// append, so a failure leaves the previous state (parts uploaded meanwhile are overwritten later).
    public func appendUpload(id: String, expectedOffset: Int64?,
                             body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        guard FileSystemBlobStore.isValidUploadID(id) else { throw StorageError.uploadNotFound }
        guard claim(id) else { throw StorageError.offsetMismatch(current: try await uploadSize(id: id)) }
        defer { release(id) }
        let (start, etag) = try await loadState(id)
        if let expectedOffset, expectedOffset != start.size { throw StorageError.offsetMismatch(current: start.size) }
        var state = start
        var pending: [UInt8] = []
        var tailLoaded = false
        var createdUpload = false
        do {
            for try await chunk in body where !chunk.isEmpty {
                if !tailLoaded {
                    if let tailKey = start.tailKey, start.tailSize > 0 { pending = try await readObject(tailKey) }
                    guard pending.count == start.tailSize else { throw StorageError.io("upload \(id) tail is damaged") }
                    tailLoaded = true
                }
                state.hasher.update(chunk)
                state.size += Int64(chunk.count)
                pending += chunk
                guard pending.count >= partSize else { continue }
                if state.uploadID == nil {
                    state.uploadID = try await createMultipart(state.dataKey)
                    createdUpload = true
                }
                state.parts.append(try await uploadPart(state.dataKey, uploadID: state.uploadID!,
                                                        number: state.parts.count + 1, bytes: pending))
                pending.removeAll(keepingCapacity: true)
            }
            try Task.checkCancellation()
            guard state.size != start.size else { return start.size }
            state.tailSize = Int64(pending.count)
            state.tailKey = pending.isEmpty ? nil : client.location.key("uploads/\(id)/tail-\(state.size)")
            if let tailKey = state.tailKey { _ = try await client.call("PUT", key: tailKey, body: pending) }
            try await saveState(state, id: id, ifMatch: etag)
        } catch {
            if createdUpload, let uploadID = state.uploadID { try? await abortMultipart(state.dataKey, uploadID: uploadID) }
            throw error
        }
        if let old = start.tailKey, old != state.tailKey {
            _ = try? await client.call("DELETE", key: old, expected: [200, 204, 404])
        }
        return state.size
    }

    public func uploadSize(id: String) async throws -> Int64 {
        try await loadState(id).0.size
    }

    /// Verifies the digest from the saved hash state (other algorithms read the bytes back), then publishes:
    /// a session without parts is written to the blob key directly (it is under one part); otherwise the
    /// tail becomes the last part, the multipart upload completes at its data object and the blob key gets
    /// a pointer to it. On a mismatch the session stays as it was.
    public func commitUpload(id: String, expected: Digest) async throws -> Int64 {
        guard FileSystemBlobStore.isValidUploadID(id) else { throw StorageError.uploadNotFound }
        guard claim(id) else { throw StorageError.offsetMismatch(current: try await uploadSize(id: id)) }
        defer { release(id) }
        var (state, _) = try await loadState(id)
        let tail = try await state.tailKey.asyncMap { try await readObject($0) } ?? []
        guard tail.count == state.tailSize else { throw StorageError.io("upload \(id) tail is damaged") }
        if expected.algorithm == .sha256 || state.parts.isEmpty {
            let actual = expected.algorithm == .sha256
                ? state.hasher.finalize() : Hashing.digest(of: tail, algorithm: expected.algorithm)
            guard actual == expected else { throw StorageError.digestMismatch(actual: actual) }
        }
        if try await locate(expected) != nil {
            try await removeSession(id, state: state)
            return state.size
        }
        guard let uploadID = state.uploadID, !state.parts.isEmpty else {
            _ = try await client.call("PUT", key: blobKey(expected), body: tail)
            try await removeSession(id, state: state)
            return state.size
        }
        if !tail.isEmpty {
            state.parts.append(try await uploadPart(state.dataKey, uploadID: uploadID, number: state.parts.count + 1,
                                                    bytes: tail))
        }
        if expected.algorithm != .sha256 {
            try await verifyAfterCompletion(&state, id: id, expected: expected)
        } else {
            try await completeMultipart(state.dataKey, uploadID: uploadID, parts: state.parts)
        }
        _ = try await client.call("PUT", key: blobKey(expected),
                                  headers: [(Self.pointerHeader, state.dataKey), (Self.pointerSizeHeader, String(state.size))])
        state.uploadID = nil
        try await removeSession(id, state: state)
        return state.size
    }

    /// For digests other than SHA-256 over multipart sessions: completes the data object, hashes it back and,
    /// on a mismatch, deletes it after re-opening the session as a new multipart upload whose parts are
    /// server-side copies of it (a rare path, so the copy is acceptable there).
    private func verifyAfterCompletion(_ state: inout S3UploadState, id: String, expected: Digest) async throws {
        try await completeMultipart(state.dataKey, uploadID: state.uploadID!, parts: state.parts)
        var hasher = ContentHasher(algorithm: expected.algorithm)
        let response = try await client.send("GET", key: state.dataKey)
        for try await chunk in response.body { hasher.update(chunk) }
        let actual = hasher.finalize()
        if actual == expected { return }
        let (saved, etag) = try await loadState(id)
        var reopened = saved
        reopened.dataKey = client.location.key("data/" + SecureRandom.hexToken(bytes: 16))
        reopened.uploadID = try await createMultipart(reopened.dataKey)
        reopened.parts = []
        let copied = saved.partBytes
        let pieces = Int((copied + Self.maxCopyPart - 1) / Self.maxCopyPart)
        var offset: Int64 = 0
        for index in 0..<pieces {
            let end = index == pieces - 1 ? copied : offset + copied / Int64(pieces)
            let source = "/\(client.location.bucket)/\(S3Signer.uriEncode(state.dataKey, keepSlash: true))"
            let copy = try await client.call("PUT", key: reopened.dataKey,
                                             query: [("partNumber", String(index + 1)), ("uploadId", reopened.uploadID!)],
                                             headers: [("x-amz-copy-source", source),
                                                       ("x-amz-copy-source-range", "bytes=\(offset)-\(end - 1)")])
            guard let etag = S3XML.value("ETag", in: String(decoding: copy.body, as: UTF8.self)) else {
                throw StorageError.io("S3 UploadPartCopy: no ETag")
            }
            reopened.parts.append(.init(number: index + 1, size: end - offset, etag: etag))
            offset = end
        }
        try await saveState(reopened, id: id, ifMatch: etag)
        _ = try? await client.call("DELETE", key: state.dataKey, expected: [200, 204, 404])
        throw StorageError.digestMismatch(actual: actual)
    }

    static let maxCopyPart: Int64 = 5 << 30

    public func cancelUpload(id: String) async throws {
        guard FileSystemBlobStore.isValidUploadID(id) else { return }
        let state = try? await loadState(id).0
        try await removeSession(id, state: state)
    }

    /// Sessions whose state object was last written more than `seconds` ago.
    public func staleUploads(olderThanSeconds seconds: Int64) async throws -> [String] {
        let prefix = client.location.key("uploads/")
        let now = Int64(time(nil))
        var stale: [String] = []
        for object in try await list(prefix: prefix) where object.key.hasSuffix("/state") {
            let id = String(object.key.dropFirst(prefix.count).dropLast("/state".count))
            if FileSystemBlobStore.isValidUploadID(id), now - object.modified > seconds { stale.append(id) }
        }
        return stale.sorted()
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
