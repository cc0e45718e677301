import BerthCore
import BerthCrypto
import BerthMetadata

extension Registry {
    /// Validates and stores a manifest, by tag (moving the tag atomically) or by digest (which must be
    /// the digest of `bytes`). The bytes are kept exactly as received. Storing the same bytes again is a no-op.
    public func putManifest(_ repository: RepositoryName, reference: Reference, contentType: String?,
                            bytes: [UInt8]) async throws -> ManifestPutResult {
        guard bytes.count <= configuration.maxManifestBytes else {
            throw RegistryError(.manifestInvalid,
                                "manifest is \(bytes.count) bytes; the limit is \(configuration.maxManifestBytes) bytes")
        }
        let digest: Digest
        var tag: String?
        switch reference {
        case .digest(let expected):
            digest = Hashing.digest(of: bytes, algorithm: expected.algorithm)
            guard digest == expected else {
                throw RegistryError(.digestInvalid, "the manifest's digest is \(digest), not \(expected)",
                                    detailJSON: Self.digestDetail(expected))
            }
        case .tag(let name):
            guard Reference.isValidTag(name) else {
                throw RegistryError(.tagInvalid, "invalid tag", detailJSON: "{\"tag\":\(JSONText.quote(name))}")
            }
            digest = Hashing.digest(of: bytes, algorithm: .sha256)
            tag = name
        }
        let parsed = try ManifestParser.parse(bytes, contentType: contentType, maxDepth: configuration.maxJSONDepth)
        let record = ManifestRecord(repository: repository, digest: digest, mediaType: parsed.mediaType,
                                    artifactType: parsed.artifactType, subject: parsed.subject,
                                    annotationsJSON: parsed.annotationsJSON, bytes: bytes, blobs: parsed.blobs,
                                    children: parsed.children, createdAt: Self.now())
        switch try await metadata.putManifest(record, tag: tag, requiredBlobs: parsed.requiredBlobs) {
        case .stored:
            break
        case .missingBlob(let missing):
            throw RegistryError(.manifestBlobUnknown, "manifest references a blob unknown to the repository",
                                detailJSON: Self.digestDetail(missing))
        case .missingManifest(let missing):
            throw RegistryError(.manifestBlobUnknown, "index references a manifest unknown to the repository",
                                detailJSON: Self.digestDetail(missing))
        }
        cache.invalidate()
        return ManifestPutResult(digest: digest, subject: parsed.subject)
    }

    /// The manifest a tag or digest names. This is the pull hot path: one indexed query, or the cache.
    public func manifest(_ repository: RepositoryName, reference: Reference) async throws -> StoredManifest {
        let key = ManifestCache.Key(repository: repository.value, reference: reference.description)
        if let cached = cache.lookup(key) { return cached }
        let generation = cache.generation()
        let found: ManifestContent?
        switch reference {
        case .tag(let tag): found = try await metadata.manifest(repository, tag: tag)
        case .digest(let digest): found = try await metadata.manifest(repository, digest: digest)
        }
        guard let found else {
            try await requireRepository(repository)
            throw RegistryError(.manifestUnknown, "manifest unknown to repository",
                                detailJSON: "{\"reference\":\(JSONText.quote(reference.description))}")
        }
        let manifest = StoredManifest(digest: found.digest, mediaType: found.mediaType, bytes: found.bytes)
        cache.store(manifest, for: key, generation: generation)
        return manifest
    }

    /// Deleting by digest removes the manifest and every tag pointing at it; by tag, only the tag.
    public func deleteManifest(_ repository: RepositoryName, reference: Reference) async throws {
        let deleted: Bool
        switch reference {
        case .tag(let tag): deleted = try await metadata.deleteTag(repository, tag: tag)
        case .digest(let digest): deleted = try await metadata.deleteManifest(repository, digest: digest)
        }
        cache.invalidate()
        guard deleted else {
            try await requireRepository(repository)
            throw RegistryError(.manifestUnknown, "manifest unknown to repository",
                                detailJSON: "{\"reference\":\(JSONText.quote(reference.description))}")
        }
    }

    /// A page of the repository's tags in lexical order, after `after`.
    public func tags(_ repository: RepositoryName, limit: Int?, after: String?) async throws -> Page<String> {
        let names = try await metadata.tags(repository, after: after, limit: limit.map { max(0, $0) + 1 })
        if names.isEmpty { try await requireRepository(repository) }
        return Self.page(names, limit: limit)
    }

    /// A page of repository names in lexical order, after `after`.
    public func catalog(limit: Int?, after: String?) async throws -> Page<String> {
        let names = try await metadata.repositories(after: after, limit: limit.map { max(0, $0) + 1 })
        return Self.page(names, limit: limit)
    }

    /// The referrers of `subject` in `repository` as an OCI image index (empty when there are none).
    public func referrers(_ repository: RepositoryName, subject: Digest, artifactType: String?) async throws -> [UInt8] {
        let records = try await metadata.referrers(repository, subject: subject, artifactType: artifactType)
        var json = "{\"schemaVersion\":2,\"mediaType\":\(JSONText.quote(MediaType.ociIndex)),\"manifests\":["
        for (offset, record) in records.enumerated() {
            json += offset == 0 ? "{" : ",{"
            json += "\"mediaType\":\(JSONText.quote(record.mediaType)),\"digest\":\(JSONText.quote(record.digest.description))"
            json += ",\"size\":\(record.size)"
            if let type = record.artifactType { json += ",\"artifactType\":\(JSONText.quote(type))" }
            if let annotations = record.annotationsJSON { json += ",\"annotations\":\(annotations)" }
            json += "}"
        }
        json += "]}"
        return Array(json.utf8)
    }

    private static func page(_ names: [String], limit: Int?) -> Page<String> {
        guard let limit else { return Page(items: names, hasMore: false) }
        let count = max(0, limit)
        return Page(items: Array(names.prefix(count)), hasMore: names.count > count)
    }
}
