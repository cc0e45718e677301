import BerthCore

/// An error of the Harbor API (`/api/v2.0`), rendered as `{"errors":[{"code","message"}]}` with
/// Harbor's codes and statuses.
public struct HarborError: Error, Sendable, Equatable {
    /// Harbor's error codes with their HTTP statuses.
    public enum Code: String, Sendable {
        case badRequest = "BAD_REQUEST"
        case unauthorized = "UNAUTHORIZED"
        case forbidden = "FORBIDDEN"
        case notFound = "NOT_FOUND"
        case methodNotAllowed = "METHOD_NOT_ALLOWED"
        case conflict = "CONFLICT"
        case preconditionFailed = "PRECONDITION"
        case unprocessableEntity = "UNPROCESSABLE_ENTITY"
        case internalServerError = "INTERNAL_SERVER_ERROR"

        /// The HTTP status Harbor answers with.
        public var status: Int {
            switch self {
            case .badRequest: return 400
            case .unauthorized: return 401
            case .forbidden: return 403
            case .notFound: return 404
            case .methodNotAllowed: return 405
            case .conflict: return 409
            case .preconditionFailed: return 412
            case .unprocessableEntity: return 422
            case .internalServerError: return 500
            }
        }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status.
    public var status: Int { code.status }

    /// The response body.
    public var jsonBody: String {
        "{\"errors\":[{\"code\":\(JSONText.quote(code.rawValue)),\"message\":\(JSONText.quote(message))}]}"
    }

    static func badRequest(_ message: String) -> HarborError { HarborError(.badRequest, message) }
    static func notFound(_ message: String) -> HarborError { HarborError(.notFound, message) }
    static func forbidden(_ message: String = "forbidden") -> HarborError { HarborError(.forbidden, message) }
    static func unauthorized(_ message: String = "unauthorized") -> HarborError { HarborError(.unauthorized, message) }
    static func conflict(_ message: String) -> HarborError { HarborError(.conflict, message) }
}
