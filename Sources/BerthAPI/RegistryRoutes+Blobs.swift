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
        let (_, content) = try await registry.readBlob(name, digest, range: nil)
        switch content {
        case .file(let region):
            return HTTPResponse(status: 200, headers: headers, body: .file(region))
        case .stream(let stream, let length):
            return HTTPResponse(status: 200, headers: headers, body: .stream(stream, length: length))
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
