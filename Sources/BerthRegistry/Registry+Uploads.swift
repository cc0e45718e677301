import BerthCore
import BerthCrypto
import BerthMetadata
import BerthStorage

extension Registry {
    /// Opens an upload session in `repository` (creating the repository).
    public func startUpload(_ repository: RepositoryName) async throws -> UploadStatus {
        let id = SecureRandom.hexToken(bytes: 16)
        let now = Self.now()
        // The session's files and its row are made at the same time; whichever fails undoes the other.
        async let stored: Void = blobs.startUpload(id: id)
        do {
            try await metadata.createUpload(UploadRecord(id: id, repository: repository, createdAt: now, updatedAt: now))
        } catch {
            try? await stored
            try? await blobs.cancelUpload(id: id)
            throw error
        }
        do {
            try await stored
        } catch {
            try? await metadata.deleteUpload(id: id)
            throw error
        }
        return UploadStatus(id: id, offset: 0)
    }

    /// Stores a whole blob in one request, verifying it against `digest`. Returns its size.
    public func monolithicUpload(_ repository: RepositoryName, digest: Digest,
                                 body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        let size = try await storeDirect(digest, body: body)
        try await metadata.addBlob(digest, size: size, to: repository)
        return size
    }

    /// Appends a chunk. When `range` (the parsed Content-Range) is given, its start must equal the bytes
    /// received so far, otherwise the chunk is refused with 416 and nothing is written.
    public func appendUpload(_ repository: RepositoryName, id: String, range: ClosedRange<Int64>?,
                             body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> UploadStatus {
        try await requireSession(repository, id)
        let size = try await append(id: id, at: range?.lowerBound, body: body)
        try await metadata.touchUpload(id: id, at: Self.now())
        return UploadStatus(id: id, offset: size)
    }

    /// The session's progress.
    public func uploadStatus(_ repository: RepositoryName, id: String) async throws -> UploadStatus {
        try await requireSession(repository, id)
        do {
            return UploadStatus(id: id, offset: try await blobs.uploadSize(id: id))
        } catch StorageError.uploadNotFound {
            throw Self.uploadUnknown(id)
        }
    }

    /// Appends the optional final chunk, verifies the whole upload against `digest`, stores the blob and
    /// links it to `repository`. Returns the blob's size. On a digest mismatch the session is kept.
    ///
    /// The session's storage is gone before this returns, so the id is unknown to every later call; its
    /// metadata row is deleted after the response (one commit less on the push path; a row left by a
    /// crash is purged with the stale sessions).
    public func completeUpload(_ repository: RepositoryName, id: String, digest: Digest,
                               finalChunk body: (some AsyncSequence<[UInt8], any Error> & Sendable)?) async throws -> Int64 {
        let size: Int64
        // The session's row and its stored size are read at the same time.
        async let bound: Void = requireSession(repository, id)
        let stored = try await storedSize(id)
        try await bound
        if let body, stored == 0 {
            // The whole blob comes in this request (POST then PUT with a body): store it directly, and
            // remove the empty session's files while the metadata commits.
            size = try await storeDirect(digest, body: body)
            async let removed: Void = blobs.cancelUpload(id: id)
            try await metadata.addBlob(digest, size: size, to: repository)
            try await removed
        } else {
            if let body { _ = try await append(id: id, at: nil, body: body) }
            size = try await commit(id: id, digest: digest)
            try await metadata.addBlob(digest, size: size, to: repository)
        }
        forgetSession(id)
        return size
    }

    /// Completes an upload whose bytes were all sent already.
    public func completeUpload(_ repository: RepositoryName, id: String, digest: Digest) async throws -> Int64 {
        try await completeUpload(repository, id: id, digest: digest, finalChunk: ByteStream?.none)
    }

    /// Abandons a session and its bytes.
    public func cancelUpload(_ repository: RepositoryName, id: String) async throws {
        try await requireSession(repository, id)
        try await blobs.cancelUpload(id: id)
        try await metadata.deleteUpload(id: id)
    }

    /// Removes sessions idle for `uploadPurgeAgeSeconds`, and storage sessions no metadata knows of
    /// (interrupted monolithic uploads). Returns how many were removed.
    public func purgeStaleUploads() async throws -> Int {
        let age = configuration.uploadPurgeAgeSeconds
        var removed = 0
        while true {
            let stale = try await metadata.uploads(updatedAtOrBefore: Self.now() - age, limit: 500)
            for upload in stale {
                try await blobs.cancelUpload(id: upload.id)
                try await metadata.deleteUpload(id: upload.id)
            }
            removed += stale.count
            if stale.count < 500 { break }
        }
        for id in try await blobs.staleUploads(olderThanSeconds: age) where try await metadata.upload(id: id) == nil {
            try await blobs.cancelUpload(id: id)
            removed += 1
        }
        return removed
    }

    // MARK: Helpers

    /// The bytes a session's storage holds; a session whose storage is gone (completed a moment ago,
    /// its row not yet deleted) is unknown.
    private func storedSize(_ id: String) async throws -> Int64 {
        do {
            return try await blobs.uploadSize(id: id)
        } catch StorageError.uploadNotFound {
            throw Self.uploadUnknown(id)
        }
    }

    /// Deletes a completed session's metadata row in the background.
    private func forgetSession(_ id: String) {
        let metadata = self.metadata
        Task {
            do {
                try await metadata.deleteUpload(id: id)
            } catch {
                Log.warning("upload session \(id) not deleted (it will be purged as stale): \(error)")
            }
        }
    }

    private func requireSession(_ repository: RepositoryName, _ id: String) async throws {
        guard let upload = try await metadata.upload(id: id), upload.repository == repository else {
            throw Self.uploadUnknown(id)
        }
    }

    /// Appends through the blob store, translating its errors. An offset mismatch without an expected
    /// offset means another request is writing to the same session.
    private func append(id: String, at offset: Int64?,
                        body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        do {
            return try await blobs.appendUpload(id: id, expectedOffset: offset, body: body)
        } catch StorageError.offsetMismatch(let current) {
            let message = offset.map { "chunk starts at \($0) but \(current) bytes were received" }
                ?? "another chunk is being written to this upload"
            throw RegistryError(.rangeInvalid, message, detailJSON: "{\"offset\":\(current)}")
        } catch StorageError.uploadNotFound {
            throw Self.uploadUnknown(id)
        }
    }

    private func storeDirect(_ digest: Digest,
                             body: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Int64 {
        do {
            return try await blobs.storeBlob(digest, body: body)
        } catch StorageError.digestMismatch(let actual) {
            throw Self.digestMismatch(expected: digest, actual: actual)
        }
    }

    private func commit(id: String, digest: Digest) async throws -> Int64 {
        do {
            return try await blobs.commitUpload(id: id, expected: digest)
        } catch StorageError.digestMismatch(let actual) {
            throw Self.digestMismatch(expected: digest, actual: actual)
        } catch StorageError.uploadNotFound {
            throw Self.uploadUnknown(id)
        }
    }

    static func digestMismatch(expected: Digest, actual: Digest) -> RegistryError {
        RegistryError(.digestInvalid, "the uploaded content's digest is \(actual), not \(expected)",
                      detailJSON: "{\"expected\":\(JSONText.quote(expected.description)),\"actual\":\(JSONText.quote(actual.description))}")
    }

    static func uploadUnknown(_ id: String) -> RegistryError {
        RegistryError(.blobUploadUnknown, "upload unknown to registry", detailJSON: "{\"id\":\(JSONText.quote(id))}")
    }
}
