import BerthCore
import BerthRegistry
import HTTPServer

/// The OCI Distribution API (`/v2`) mapped onto the `Registry` facade.
public struct RegistryRoutes: Sendable {
    let registry: Registry
    let authorizer: any RegistryAuthorizer
    let maxManifestBytes: Int
    let auditSink: (any AuditSink)?
    let pullGate: (any ScanPullGate)?

    /// - Parameter auditSink: told of every manifest push, pull (GET) and delete that succeeded.
    /// - Parameter pullGate: the vulnerability pull gate and scan-on-push hook (nil: none).
    public init(registry: Registry, authorizer: any RegistryAuthorizer = OpenAccess(), maxManifestBytes: Int = 4 << 20,
                auditSink: (any AuditSink)? = nil, pullGate: (any ScanPullGate)? = nil) {
        self.pullGate = pullGate
        self.registry = registry
        self.authorizer = authorizer
        self.maxManifestBytes = maxManifestBytes
        self.auditSink = auditSink
    }

    /// Adds every `/v2` route to `router`.
    public func register(on router: inout HTTPRouter) {
        router.add(.get, "/v2/", wrap { request in try await base(request) })
        router.add(.get, "/v2", wrap { request in try await base(request) })
        router.add(.get, "/v2/_catalog", wrap { request in try await catalog(request) })

        for method in [HTTPMethod.get, .head] {
            router.add(method, "/v2/{name+}/blobs/{digest}", wrap { request in try await getBlob(request) })
            router.add(method, "/v2/{name+}/manifests/{reference}", wrap { request in try await getManifest(request) })
        }
        router.add(.delete, "/v2/{name+}/blobs/{digest}", wrap { request in try await deleteBlob(request) })

        router.add(.post, "/v2/{name+}/blobs/uploads/", wrap { request in try await startUpload(request) })
        router.add(.post, "/v2/{name+}/blobs/uploads", wrap { request in try await startUpload(request) })
        router.add(.patch, "/v2/{name+}/blobs/uploads/{id}", wrap { request in try await patchUpload(request) })
        router.add(.put, "/v2/{name+}/blobs/uploads/{id}", wrap { request in try await putUpload(request) })
        router.add(.get, "/v2/{name+}/blobs/uploads/{id}", wrap { request in try await uploadStatus(request) })
        router.add(.delete, "/v2/{name+}/blobs/uploads/{id}", wrap { request in try await cancelUpload(request) })

        router.add(.put, "/v2/{name+}/manifests/{reference}", wrap { request in try await putManifest(request) })
        router.add(.delete, "/v2/{name+}/manifests/{reference}", wrap { request in try await deleteManifest(request) })

        router.add(.get, "/v2/{name+}/tags/list", wrap { request in try await tags(request) })
        router.add(.get, "/v2/{name+}/referrers/{digest}", wrap { request in try await referrers(request) })
    }

    /// Adds the API version header and turns thrown errors into OCI error responses.
    private func wrap(_ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) -> HTTPHandler {
        return { request in
            var response: HTTPResponse
            do {
                response = try await body(request)
            } catch let error as RegistryError {
                response = RegistryResponder.error(error, method: request.method)
            } catch let failure as AuthorizationFailure {
                response = RegistryResponder.error(failure.error, method: request.method)
                for (name, value) in failure.headers { response.headers.add(name, value) }
            } catch {
                Log.error("\(request.method.rawValue) \(request.path): \(error)")
                let opaque = RegistryError(.unknown, "internal error")
                response = RegistryResponder.error(opaque, method: request.method)
            }
            response.headers[RegistryResponder.apiVersionHeader.0] = RegistryResponder.apiVersionHeader.1
            if let auditSink { reportAudit(to: auditSink, request, response) }
            return response
        }
    }

    /// Reports successful manifest pushes (201), pulls (GET 200) and deletes (202) to the audit sink.
    private func reportAudit(to sink: any AuditSink, _ request: HTTPRequest, _ response: HTTPResponse) {
        // Only the manifest routes have a `reference` parameter. (No `String.contains(String)` here: with
        // Foundation in the process it goes through NSString, which showed in profiles of this hot path.)
        let operation: String
        switch (request.method, response.status) {
        case (.get, 200): operation = "pull"
        case (.put, 201): operation = "create"
        case (.delete, 202): operation = "delete"
        default: return
        }
        guard let reference = request.parameters["reference"],
              let name = request.parameters["name"], let repository = RepositoryName(name) else { return }
        let isDigest = reference.utf8.contains(UInt8(ascii: ":"))
        let digest = response.headers["Docker-Content-Digest"] ?? (isDigest ? reference : nil)
        sink.registryEvent(RegistryAuditEvent(operation: operation, repository: repository, reference: reference,
                                              digest: digest), request: Self.auditCopy(of: request))
    }

    /// What the audit log keeps of a request until its next flush (up to a second of pulls): the
    /// credentials that name the caller and the client address, not every header, parameter and body.
    static func auditCopy(of request: HTTPRequest) -> HTTPRequest {
        var headers = HTTPHeaders()
        for name in ["Authorization", "Cookie", "X-Harbor-CSRF-Token"] {
            for value in request.headers.values(name) { headers.add(name, value) }
        }
        var copy = HTTPRequest(method: request.method, target: request.target, headers: headers,
                               remoteAddress: request.remoteAddress)
        copy.isSecure = request.isSecure
        return copy
    }

    private func base(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await authorizer.authorize(request, for: .base)
        return RegistryResponder.json("{}")
    }

    // MARK: Parameters

    func repository(_ request: HTTPRequest) throws -> RepositoryName {
        let text = request.parameters["name"] ?? ""
        guard let name = RepositoryName(text) else {
            throw RegistryError(.nameInvalid, "invalid repository name", detailJSON: JSONText.quote(text))
        }
        return name
    }

    func digest(_ text: String?) throws -> Digest {
        guard let text, let digest = Digest.parse(text) else {
            throw RegistryError(.digestInvalid, "invalid digest", detailJSON: JSONText.quote(text ?? ""))
        }
        return digest
    }

    func reference(_ request: HTTPRequest) throws -> Reference {
        let text = request.parameters["reference"] ?? ""
        guard let reference = Reference(text) else {
            if text.contains(":") {
                throw RegistryError(.digestInvalid, "invalid digest", detailJSON: JSONText.quote(text))
            }
            throw RegistryError(.tagInvalid, "invalid tag", detailJSON: JSONText.quote(text))
        }
        return reference
    }
}
