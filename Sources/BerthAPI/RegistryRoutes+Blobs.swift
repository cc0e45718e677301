import BerthCore
import BerthRegistry
import HTTPServer

extension RegistryRoutes {
    /// `GET|HEAD /v2/<name>/blobs/<digest>`; byte ranges of file bodies are served by the HTTP server.
    func getBlob(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        let digest = try digest(request.parameters["digest"])
        try await authorizer.authorize(request, for: .pull(name))
        var headers = HTTPHeaders([
            ("Content-Type", "application/octet-stream"),
            ("Docker-Content-Digest", digest.description),
            ("ETag", "\"\(digest)\""),
            ("Cache-Control", "max-age=31536000"),
        ])
        if request.method == .head {
            let size = try await registry.blobSize(name, digest)
            headers["Content-Length"] = String(size)
            headers["Accept-Ranges"] = "bytes"
            return HTTPResponse(status: 200, headers: headers)
        }
        if request.headers["Range"] == nil, let url = try await registry.blobRedirect(name, digest) {
            // Object storage serves the bytes; the client follows the redirect with a presigned URL.
            headers["Location"] = url
            headers["Content-Length"] = "0"
            return HTTPResponse(status: 307, headers: headers)
        }
        var status = 200
        var range: Range<Int64>?
        if let rangeHeader = request.headers["Range"] {
            // Resolved here rather than by the HTTP server, so object storage can serve ranged reads too.
            let size = try await registry.blobSize(name, digest)
            switch ByteRange.resolve(rangeHeader, total: size) {
            case .full:
                break
            case .unsatisfiable:
                headers["Content-Range"] = "bytes */\(size)"
                let error = RegistryError(.rangeInvalid, "requested range not satisfiable")
                var response = RegistryResponder.error(error, method: request.method)
                for (name, value) in headers where name != "Content-Type" { response.headers[name] = value }
                return response
            case .partial(let start, let length):
                status = 206
                range = start..<(start + length)
                headers["Content-Range"] = "bytes \(start)-\(start + length - 1)/\(size)"
            }
        }
        let (_, content) = try await registry.readBlob(name, digest, range: range)
        switch content {
        case .file(let region):
            return HTTPResponse(status: status, headers: headers, body: .file(region))
        case .stream(let stream, let length):
            return HTTPResponse(status: status, headers: headers, body: .stream(stream, length: length))
        }
    }

    /// `DELETE /v2/<name>/blobs/<digest>`: unlinks the blob from the repository.
    func deleteBlob(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        let digest = try digest(request.parameters["digest"])
        try await authorizer.authorize(request, for: .delete(name))
        try await registry.deleteBlob(name, digest)
        return RegistryResponder.empty(202, [("Docker-Content-Digest", digest.description)])
    }
}
