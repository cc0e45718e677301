import BerthCrypto
import HTTPServer

/// The `X-Request-Id` convention: echo the client's id (when it is sane) or make one up.
enum HarborRequestID {
    static let header = "X-Request-Id"

    /// The id to answer with.
    static func value(for request: HTTPRequest) -> String {
        if let given = request.headers[header], !given.isEmpty, given.utf8.count <= 128,
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return generate()
    }

    /// A random UUID-shaped id (version 4).
    static func generate() -> String {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hex.encode(bytes)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
