import FoundationEssentials

/// Compact JWS tokens (JWT) signed ES256 with an `ECDSAKey`, or verified with ES256/RS256 public keys.
public enum JWT {
    /// The protected header fields Berth reads and writes.
    public struct Header: Codable, Sendable, Equatable {
        public var alg: String
        public var typ: String?
        public var kid: String?
        public init(alg: String, typ: String? = "JWT", kid: String? = nil) {
            self.alg = alg
            self.typ = typ
            self.kid = kid
        }
    }

    /// A key that can check a signature.
    public enum VerificationKey: Sendable {
        case es256(ECDSAKey)
        case rs256(RSAPublicKey)
    }

    /// Why a token was refused.
    public enum Failure: Error, Equatable, Sendable {
        case malformed
        case unsupportedAlgorithm(String)
        case badSignature
    }

    /// Signs `claims` with ES256 under `key`, putting `kid` in the header.
    public static func sign<Claims: Encodable>(_ claims: Claims, key: ECDSAKey, kid: String? = nil) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = Base64.urlEncode(Array(try encoder.encode(Header(alg: "ES256", kid: kid ?? key.keyID))))
        let payload = Base64.urlEncode(Array(try encoder.encode(claims)))
        let input = header + "." + payload
        return input + "." + Base64.urlEncode(try key.sign(Array(input.utf8)))
    }

    /// Splits a token and decodes its header, without checking anything.
    public static func header(of token: String) throws -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64.decode(parts[0]) else { throw Failure.malformed }
        do { return try JSONDecoder().decode(Header.self, from: Data(bytes)) } catch { throw Failure.malformed }
    }

    /// Checks the signature with `key` (the header's `alg` must match the key type) and decodes the
    /// claims. Time-based claims are the caller's to check.
    public static func verify<Claims: Decodable>(_ token: String, as type: Claims.Type, key: VerificationKey) throws -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Base64.decode(parts[2]), let payload = Base64.decode(parts[1]) else {
            throw Failure.malformed
        }
        let header = try header(of: token)
        let input = Array((parts[0] + "." + parts[1]).utf8)
        switch (header.alg, key) {
        case ("ES256", .es256(let ecdsa)):
            guard ecdsa.verify(signature, for: input) else { throw Failure.badSignature }
        case ("RS256", .rs256(let rsa)):
            guard rsa.verify(signature, for: input) else { throw Failure.badSignature }
        default:
            throw Failure.unsupportedAlgorithm(header.alg)
        }
        do { return try JSONDecoder().decode(Claims.self, from: Data(payload)) } catch { throw Failure.malformed }
    }
}
