import BerthCore
import FoundationEssentials
import HTTPServer

/// Builds Harbor API responses: JSON bodies (snake_case keys, `/` unescaped), errors and empty answers.
enum HarborResponder {
    static let contentType = ("Content-Type", "application/json")

    /// Encodes `value` as the body.
    static func json<T: Encodable>(_ value: T, status: Int = 200, headers extra: [(String, String)] = []) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let bytes = try encoder.encode(value)
        var headers = HTTPHeaders([contentType])
        for (name, value) in extra { headers.add(name, value) }
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(bytes)))
    }

    /// The error envelope; HEAD responses carry no body.
    static func error(_ error: HarborError, method: HTTPMethod) -> HTTPResponse {
        var headers = HTTPHeaders([contentType])
        if method == .head {
            headers["Content-Length"] = "0"
            return HTTPResponse(status: error.status, headers: headers)
        }
        return HTTPResponse(status: error.status, headers: headers, body: .bytes(Array(error.jsonBody.utf8)))
    }

    /// A response without a body.
    static func empty(_ status: Int = 200, headers extra: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders(extra)
        headers["Content-Length"] = "0"
        return HTTPResponse(status: status, headers: headers)
    }

    /// `201 Created` with the new resource's `Location`.
    static func created(_ location: String) -> HTTPResponse {
        empty(201, headers: [("Location", location)])
    }

    /// Decodes a JSON request body of at most `limit` bytes; BAD_REQUEST when it is not valid.
    static func decode<T: Decodable>(_ type: T.Type, from request: HTTPRequest, limit: Int = 1 << 20) async throws -> T {
        try decodeJSON(type, from: try await request.body.collect(upTo: limit))
    }

    /// Decodes a body already read; 400 with the reason when it does not fit `type`.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw HarborError.badRequest("invalid request body: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "missing field \(key.stringValue)"
        case .typeMismatch(_, let context)?: return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(_, let context)?: return "null at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "malformed JSON"
        }
    }
}
