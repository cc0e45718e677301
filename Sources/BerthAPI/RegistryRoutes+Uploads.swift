import BerthCore
import BerthRegistry
import HTTPServer

extension RegistryRoutes {
    /// `POST /v2/<name>/blobs/uploads/`: a mount, a monolithic upload (`?digest=`), or a new session.
    func startUpload(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        if let mountText = request.queryValue("mount") {
            let digest = try digest(mountText)
            var source: RepositoryName?
            if let from = request.queryValue("from") {
                guard let parsed = RepositoryName(from) else {
                    throw RegistryError(.nameInvalid, "invalid source repository name", detailJSON: JSONText.quote(from))
                }
                source = parsed
                try await authorizer.authorize(request, for: .mount(target: name, source: parsed))
            } else {
                try await authorizer.authorize(request, for: .push(name))
            }
            if try await registry.mount(digest, into: name, from: source) {
                return created(name, digest)
            }
        } else {
            try await authorizer.authorize(request, for: .push(name))
        }
        if let digestText = request.queryValue("digest"), request.queryValue("mount") == nil {
            let digest = try digest(digestText)
            _ = try await registry.monolithicUpload(name, digest: digest, body: request.body)
            return created(name, digest)
        }
        let status = try await registry.startUpload(name)
        return accepted(name, status)
    }

    /// `PATCH /v2/<name>/blobs/uploads/<id>`: a streamed or `Content-Range` chunk.
    func patchUpload(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        try await authorizer.authorize(request, for: .push(name))
        let id = request.parameters["id"] ?? ""
        let range = try contentRange(request.headers["Content-Range"])
        let status = try await registry.appendUpload(name, id: id, range: range, body: request.body)
        return accepted(name, status)
    }

    /// `PUT /v2/<name>/blobs/uploads/<id>?digest=`: completes the upload, with or without a last chunk.
    func putUpload(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        try await authorizer.authorize(request, for: .push(name))
        let id = request.parameters["id"] ?? ""
        guard let digestText = request.queryValue("digest") else {
            throw RegistryError(.digestInvalid, "the digest query parameter is required")
        }
        let digest = try digest(digestText)
        let hasBody = request.body.isChunked || (request.body.contentLength ?? 0) > 0
        if hasBody {
            _ = try await registry.completeUpload(name, id: id, digest: digest, finalChunk: request.body)
        } else {
            _ = try await registry.completeUpload(name, id: id, digest: digest, finalChunk: nil as HTTPRequestBody?)
        }
        return created(name, digest)
    }

    /// `GET /v2/<name>/blobs/uploads/<id>`: 204 with the received range.
    func uploadStatus(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        try await authorizer.authorize(request, for: .push(name))
        let status = try await registry.uploadStatus(name, id: request.parameters["id"] ?? "")
        var response = accepted(name, status)
        response.status = 204
        return response
    }

    /// `DELETE /v2/<name>/blobs/uploads/<id>`.
    func cancelUpload(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        try await authorizer.authorize(request, for: .push(name))
        try await registry.cancelUpload(name, id: request.parameters["id"] ?? "")
        return RegistryResponder.empty(204)
    }

    private func created(_ name: RepositoryName, _ digest: Digest) -> HTTPResponse {
        RegistryResponder.empty(201, [
            ("Location", "/v2/\(name)/blobs/\(digest)"),
            ("Docker-Content-Digest", digest.description),
        ])
    }

    private func accepted(_ name: RepositoryName, _ status: UploadStatus) -> HTTPResponse {
        RegistryResponder.empty(202, [
            ("Location", "/v2/\(name)/blobs/uploads/\(status.id)"),
            ("Range", "0-\(max(status.offset - 1, 0))"),
            ("Docker-Upload-UUID", status.id),
        ])
    }

    /// Parses `Content-Range: <start>-<end>` (also tolerates a `bytes ` or `bytes=` prefix).
    func contentRange(_ header: String?) throws -> ClosedRange<Int64>? {
        guard var text = header?.trimmingSpaces, !text.isEmpty else { return nil }
        for prefix in ["bytes=", "bytes "] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]), start >= 0, end >= start else {
            throw RegistryError(.rangeInvalid, "invalid Content-Range", detailJSON: JSONText.quote(header ?? ""))
        }
        return start...end
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
