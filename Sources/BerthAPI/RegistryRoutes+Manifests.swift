import BerthCore
import BerthRegistry
import HTTPServer

extension RegistryRoutes {
    /// `GET|HEAD /v2/<name>/manifests/<reference>`: the exact stored bytes with their media type.
    /// `Accept` is honoured by never converting: a client that sends none still gets the manifest.
    func getManifest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        let reference = try reference(request)
        try await authorizer.authorize(request, for: .pull(name))
        let manifest = try await registry.manifest(name, reference: reference)
        try await pullGate?.checkPull(repository: name, digest: manifest.digest, mediaType: manifest.mediaType)
        let etag = "\"\(manifest.digest)\""
        var headers = HTTPHeaders([
            ("Content-Type", manifest.mediaType),
            ("Docker-Content-Digest", manifest.digest.description),
            ("ETag", etag),
        ])
        if let match = request.headers["If-None-Match"], match == etag || match == "*" {
            headers["Content-Length"] = "0"
            return HTTPResponse(status: 304, headers: headers)
        }
        if request.method == .head {
            headers["Content-Length"] = String(manifest.bytes.count)
            return HTTPResponse(status: 200, headers: headers)
        }
        return HTTPResponse(status: 200, headers: headers, body: .bytes(manifest.bytes))
    }

    /// `PUT /v2/<name>/manifests/<reference>`.
    func putManifest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        let reference = try reference(request)
        try await authorizer.authorize(request, for: .push(name))
        if let length = request.body.contentLength, length > Int64(maxManifestBytes) {
            throw RegistryError(.manifestTooLarge, "manifest exceeds \(maxManifestBytes) bytes")
        }
        let bytes: [UInt8]
        do {
            bytes = try await request.body.collect(upTo: maxManifestBytes)
        } catch HTTPServerError.bodyTooLarge {
            throw RegistryError(.manifestTooLarge, "manifest exceeds \(maxManifestBytes) bytes")
        }
        let contentType = request.headers["Content-Type"].map { $0.split(separator: ";")[0].trimmingSpacesSubstring }
        let result = try await registry.putManifest(name, reference: reference, contentType: contentType, bytes: bytes)
        await pullGate?.pushed(repository: name, digest: result.digest, mediaType: contentType ?? "")
        var pairs = [
            ("Location", "/v2/\(name)/manifests/\(result.digest)"),
            ("Docker-Content-Digest", result.digest.description),
        ]
        if let subject = result.subject { pairs.append(("OCI-Subject", subject.description)) }
        return RegistryResponder.empty(201, pairs)
    }

    /// `DELETE /v2/<name>/manifests/<reference>`: by digest removes the manifest, by tag only the tag.
    func deleteManifest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        let reference = try reference(request)
        try await authorizer.authorize(request, for: .delete(name))
        try await registry.deleteManifest(name, reference: reference)
        return RegistryResponder.empty(202)
    }
}

extension RegistryError.Code {
    /// A manifest over the size limit (413, as the distribution spec allows).
    static let manifestTooLarge = RegistryError.Code("MANIFEST_INVALID", status: 413)
}

extension Substring {
    var trimmingSpacesSubstring: String { String(self).trimmingSpaces }
}
