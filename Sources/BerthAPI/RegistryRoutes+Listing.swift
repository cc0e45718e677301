import BerthCore
import BerthRegistry
import HTTPServer

extension RegistryRoutes {
    /// `GET /v2/<name>/tags/list?n=&last=`.
    func tags(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        try await authorizer.authorize(request, for: .pull(name))
        let limit = try pageSize(request)
        let last = request.queryValue("last")
        let page = try await registry.tags(name, limit: limit, after: last)
        let body = "{\"name\":\(JSONText.quote(name.value)),\"tags\":\(RegistryResponder.jsonArray(page.items))}"
        return RegistryResponder.json(body, headers: nextLink(path: "/v2/\(name)/tags/list", page: page, limit: limit))
    }

    /// `GET /v2/_catalog?n=&last=`.
    func catalog(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await authorizer.authorize(request, for: .catalog)
        let limit = try pageSize(request)
        let page = try await registry.catalog(limit: limit, after: request.queryValue("last"))
        let body = "{\"repositories\":\(RegistryResponder.jsonArray(page.items))}"
        return RegistryResponder.json(body, headers: nextLink(path: "/v2/_catalog", page: page, limit: limit))
    }

    /// `GET /v2/<name>/referrers/<digest>?artifactType=`.
    func referrers(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = try repository(request)
        let subject = try digest(request.parameters["digest"])
        try await authorizer.authorize(request, for: .pull(name))
        let artifactType = request.queryValue("artifactType")
        let bytes = try await registry.referrers(name, subject: subject, artifactType: artifactType)
        var headers = HTTPHeaders([("Content-Type", MediaType.ociIndex)])
        if artifactType != nil { headers["OCI-Filters-Applied"] = "artifactType" }
        return HTTPResponse(status: 200, headers: headers, body: .bytes(bytes))
    }

    private func pageSize(_ request: HTTPRequest) throws -> Int? {
        guard let text = request.queryValue("n") else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw RegistryError(.paginationNumberInvalid, "invalid number of results requested",
                                detailJSON: JSONText.quote(text))
        }
        return min(value, 10_000)
    }

    private func nextLink(path: String, page: Page<String>, limit: Int?) -> [(String, String)] {
        guard page.hasMore, let last = page.items.last else { return [] }
        var link = "\(path)?last=\(percentEncode(last))"
        if let limit { link += "&n=\(limit)" }
        return [("Link", "<\(link)>; rel=\"next\"")]
    }

    private func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let allowed = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: "/")
            if allowed { out.unicodeScalars.append(UnicodeScalar(byte)) } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
