import BerthCrypto
import FoundationEssentials

/// A provider's JWKS (`{"keys":[...]}`) as verification keys. Keys of other types, curves, or with
/// `use` other than `sig` are skipped, so that a provider publishing encryption keys still works.
public struct OIDCKeySet: Sendable {
    public let keys: [JWKPublicKey]

    private struct Document: Decodable { let keys: [[String: OIDCClaimValue]] }

    public init(keys: [JWKPublicKey]) { self.keys = keys }

    /// Parses a JWKS document.
    public static func parse(_ body: [UInt8]) throws(OIDCError) -> OIDCKeySet {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)) else {
            throw .provider("invalid JWKS document")
        }
        var keys: [JWKPublicKey] = []
        for entry in document.keys {
            if let use = entry["use"]?.text, use != "sig" { continue }
            var members: [String: String] = [:]
            for (name, value) in entry { if let text = value.text { members[name] = text } }
            guard let type = members["kty"],
                  let key = JWKPublicKey(keyType: type, keyID: members["kid"], algorithm: members["alg"], members: members)
            else { continue }
            keys.append(key)
        }
        return OIDCKeySet(keys: keys)
    }

    /// Keys that may have signed a token with `alg` and `kid`: the key with that `kid`, or every key
    /// for `alg` when the token names none.
    public func candidates(alg: String, kid: String?) -> [JWKPublicKey] {
        keys.filter { $0.supports(alg) && (kid == nil || $0.keyID == kid) }
    }
}
