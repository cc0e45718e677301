/// An error in the OCI distribution error vocabulary. It renders itself as
/// `{"errors":[{"code","message","detail"}]}` with the status the spec gives the code.
public struct RegistryError: Error, Sendable, Equatable {
    /// An OCI (or Docker) error code with its usual HTTP status.
    public struct Code: Hashable, Sendable {
        public let name: String
        public let status: Int
        public init(_ name: String, status: Int) { self.name = name; self.status = status }

        public static let blobUnknown = Code("BLOB_UNKNOWN", status: 404)
        public static let blobUploadInvalid = Code("BLOB_UPLOAD_INVALID", status: 400)
        public static let blobUploadUnknown = Code("BLOB_UPLOAD_UNKNOWN", status: 404)
        public static let digestInvalid = Code("DIGEST_INVALID", status: 400)
        public static let manifestBlobUnknown = Code("MANIFEST_BLOB_UNKNOWN", status: 400)
        public static let manifestInvalid = Code("MANIFEST_INVALID", status: 400)
        public static let manifestUnknown = Code("MANIFEST_UNKNOWN", status: 404)
        public static let nameInvalid = Code("NAME_INVALID", status: 400)
        public static let nameUnknown = Code("NAME_UNKNOWN", status: 404)
        public static let sizeInvalid = Code("SIZE_INVALID", status: 400)
        public static let unauthorized = Code("UNAUTHORIZED", status: 401)
        public static let denied = Code("DENIED", status: 403)
        public static let unsupported = Code("UNSUPPORTED", status: 415)
        public static let tooManyRequests = Code("TOOMANYREQUESTS", status: 429)
        public static let rangeInvalid = Code("BLOB_UPLOAD_INVALID", status: 416)
        public static let unknown = Code("UNKNOWN", status: 500)
        public static let unavailable = Code("UNAVAILABLE", status: 503)
        public static let methodNotAllowed = Code("UNSUPPORTED", status: 405)
        public static let tagInvalid = Code("TAG_INVALID", status: 400)
        public static let paginationNumberInvalid = Code("PAGINATION_NUMBER_INVALID", status: 400)
        public static let precondition = Code("PROJECTPOLICYVIOLATION", status: 412)
    }

    public let code: Code
    public let message: String
    /// Optional JSON-encodable detail, already rendered as a JSON value (object, string…).
    public let detailJSON: String?

    public init(_ code: Code, _ message: String, detailJSON: String? = nil) {
        self.code = code
        self.message = message
        self.detailJSON = detailJSON
    }

    public var status: Int { code.status }

    /// The OCI error body.
    public var jsonBody: String {
        var item = "{\"code\":\(JSONText.quote(code.name)),\"message\":\(JSONText.quote(message))"
        if let detailJSON { item += ",\"detail\":\(detailJSON)" }
        return "{\"errors\":[\(item)}]}"
    }
}
