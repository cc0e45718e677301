import BerthAuth
import BerthCore
import BerthMetadata
import BerthPolicy
import FoundationEssentials
import HTTPServer

/// Harbor's scan endpoints: request a scan, read the report, the vulnerability database status and the
/// system CVE allowlist, on the same authentication and error envelope as the rest of `/api/v2.0`.
public struct ScanRoutes: Sendable {
    let api: HarborAPI
    let scans: any ScanProvider

    public init(api: HarborAPI, scans: any ScanProvider) {
        self.api = api
        self.scans = scans
    }

    /// Adds the routes to `router`.
    public func register(on router: inout HTTPRouter) {
        let artifact = "/projects/{project}/repositories/{repository}/artifacts/{reference}"
        let api = self.api, scans = self.scans
        api.route(&router, .post, artifact + "/scan") { call in
            let (_, found) = try await api.artifact(call, Permission("scan", "create"))
            switch try await ScanRoutes.scanType(call.request) {
            case "vulnerability":
                try await scans.requestScan(repository: found.repository, digest: found.digest)
            case "sbom":
                guard let sbom = scans as? any SBOMProvider else { throw HarborError.badRequest("SBOM generation is not available") }
                try await sbom.requestSBOM(repository: found.repository, digest: found.digest)
            case let other:
                throw HarborError.badRequest("unsupported scan_type \(other); use vulnerability or sbom")
            }
            return HarborResponder.empty(202)
        }
        api.route(&router, .get, artifact + "/additions/vulnerabilities") { call in
            let (_, found) = try await api.artifact(call, Permission("artifact", "read"))
            guard let status = try await scans.scanStatus(digest: found.digest), let report = status.reportJSON else {
                return ScanRoutes.raw("{}")
            }
            return ScanRoutes.raw("{" + JSONText.quote(ScanRoutes.reportType) + ":" + report + "}")
        }
        api.route(&router, .get, artifact + "/additions/sbom") { call in
            let (_, found) = try await api.artifact(call, Permission("artifact", "read"))
            guard let sbom = scans as? any SBOMProvider,
                  let document = try await sbom.sbomDocument(repository: found.repository, digest: found.digest) else {
                throw HarborError.notFound("no SBOM for artifact \(found.digest)")
            }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/spdx+json")]),
                                body: .bytes(document))
        }
        api.route(&router, .get, artifact + "/scan/status") { call in
            let (_, found) = try await api.artifact(call, Permission("artifact", "read"))
            let status = try await scans.scanStatus(digest: found.digest)
            return try HarborResponder.json(ScanStatusBody(scan_status: status?.status ?? "Not Scanned",
                                                           progress: status?.progress ?? 0))
        }
        api.route(&router, .get, "/vulndb") { call in
            try api.requireLogin(call)
            return ScanRoutes.raw(try await scans.databaseStatusJSON())
        }
        api.route(&router, .get, "/system/CVEAllowlist") { call in
            try api.requireLogin(call)
            let list = try await CVEAllowlistStore.load(api.identity.store, key: CVEAllowlistStore.systemKey) ?? CVEAllowlist()
            return try HarborResponder.json(list)
        }
        api.route(&router, .put, "/system/CVEAllowlist") { call in
            guard call.principal.isSysadmin else { throw api.denial(call) }
            var list = try await HarborResponder.decode(CVEAllowlist.self, from: call.request)
            list.project_id = 0
            try await CVEAllowlistStore.save(api.identity.store, key: CVEAllowlistStore.systemKey, list)
            return HarborResponder.empty()
        }
        api.route(&router, .get, "/projects/{project}/cve_allowlist") { call in
            let project = try await api.shownProject(call)
            let list = try await CVEAllowlistStore.load(api.identity.store, key: CVEAllowlistStore.projectKey(project.id))
            return try HarborResponder.json(list ?? CVEAllowlist(projectID: project.id))
        }
        api.route(&router, .put, "/projects/{project}/cve_allowlist") { call in
            let project = try await api.readableProject(call)
            try await api.require(call, Permission("metadata", "update"), in: project)
            var list = try await HarborResponder.decode(CVEAllowlist.self, from: call.request)
            list.project_id = project.id
            try await CVEAllowlistStore.save(api.identity.store, key: CVEAllowlistStore.projectKey(project.id), list)
            return HarborResponder.empty()
        }
    }

    /// Harbor's optional `{"scan_type": "vulnerability" | "sbom"}` body; no body means vulnerability.
    static func scanType(_ request: HTTPRequest) async throws -> String {
        struct Body: Decodable { var scan_type: String? }
        let bytes = try await request.body.collect(upTo: 1 << 16)
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return "vulnerability" }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes)).scan_type ?? "vulnerability"
        } catch {
            throw HarborError.badRequest("invalid request body: malformed JSON")
        }
    }

    /// A 200 response with a JSON body already encoded.
    static func raw(_ json: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .bytes(Array(json.utf8)))
    }

    static let reportType = "application/vnd.security.vulnerability.report; version=1.1"
}

/// `…/scan/status`.
struct ScanStatusBody: Encodable, Sendable {
    var scan_status: String
    var progress: Int
}
