import BerthCore
import HTTPServer

/// Builds the responses of the `/v2` API: OCI error bodies, JSON bodies and the common headers.
enum RegistryResponder {
    static let apiVersionHeader = ("Docker-Distribution-API-Version", "registry/2.0")

    /// An OCI error response; HEAD responses carry no body.
    static func error(_ error: RegistryError, method: HTTPMethod) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/json; charset=utf-8")])
        if method == .head {
            headers["Content-Length"] = "0"
            return HTTPResponse(status: error.status, headers: headers)
        }
        return HTTPResponse(status: error.status, headers: headers, body: .bytes(Array(error.jsonBody.utf8)))
    }

    /// A JSON body with the given content type.
    static func json(_ text: String, status: Int = 200, contentType: String = "application/json",
                     headers extra: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", contentType)])
        for (name, value) in extra { headers.add(name, value) }
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }

    /// An empty response with headers.
    static func empty(_ status: Int, _ pairs: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders(pairs)
        if headers["Content-Length"] == nil { headers["Content-Length"] = "0" }
        return HTTPResponse(status: status, headers: headers)
    }

    /// A JSON array of strings.
    static func jsonArray(_ items: [String]) -> String {
        "[" + items.map(JSONText.quote).joined(separator: ",") + "]"
    }
}
