import BerthCrypto
import BerthMetadata

/// The keys every node of a cluster must share, kept in the identity database's system settings:
/// the registry token signing key (ES256) and the server key that seals OIDC CLI secrets and signs
/// the login-state cookie. Nodes on one database therefore accept each other's tokens and secrets.
///
/// On start a node reads the key; when the database has none it offers one (the old key file of its
/// data directory if there is one, else a fresh key) with insert-if-absent and uses whatever the
/// database holds afterwards, so nodes racing on a new database converge on one key.
///
/// The database holds these secrets, as Harbor's database holds its own. With a sealing secret
/// (`BERTH_SECRET_KEY` or `BERTH_SECRET_KEY_FILE`, the same on every node) the values are stored
/// encrypted and authenticated (`CLISecretCipher` under a key derived from the secret); without one
/// they are stored in the clear (base64url), so the database and its backups must be protected.
public struct SharedKeys: Sendable {
    /// The setting holding the token signing key (PKCS#8 DER).
    public static let tokenSigningKeySetting = "keys.token_signing"
    /// The setting holding the OIDC server key (32 or more random bytes).
    public static let serverKeySetting = "keys.oidc_server"
    /// The minimum length of the server key, and the length of a generated one.
    public static let serverKeyLength = 32
    /// The minimum length of a sealing secret.
    public static let minimumSealingSecretLength = 16

    static let plainPrefix = "plain:"
    static let sealedPrefix = "sealed:"

    private let store: any IdentityStore
    private let sealer: CLISecretCipher?
    private let log: @Sendable (String) -> Void

    /// Keys in `store`; with `sealingSecret` (at least 16 bytes) new values are stored sealed and sealed
    /// values can be read. `log` receives notes about imports, generated keys and mismatching files.
    public init(store: any IdentityStore, sealingSecret: [UInt8]? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.store = store
        self.log = log
        if let sealingSecret {
            guard sealingSecret.count >= Self.minimumSealingSecretLength else {
                throw AuthError.invalidInput("the secret key needs at least \(Self.minimumSealingSecretLength) bytes")
            }
            sealer = CLISecretCipher(serverKey: HMAC.sha256(key: sealingSecret, message: "berth shared-keys v1"))
        } else {
            sealer = nil
        }
    }

    /// True when values are stored sealed.
    public var seals: Bool { sealer != nil }

    /// The cluster's token signing key; `legacyFile` (an old `token-signing.key`) is imported when the
    /// database has no key yet.
    public func tokenSigningKey(legacyFile: String?) async throws -> ECDSAKey {
        let legacy = try legacyFile.flatMap { try SigningKeyFile.contents(path: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        if let legacy { _ = try ECDSAKey(privateKeyDER: legacy) }
        let der = try await value(named: Self.tokenSigningKeySetting, offering: legacy, legacySource: legacyFile) {
            try ECDSAKey.generate().privateKeyDER
        }
        return try ECDSAKey(privateKeyDER: der)
    }

    /// The cluster's OIDC server key; `legacyFile` (an old `oidc-server.key`) is imported when the
    /// database has no key yet. A key shorter than 32 bytes, in the file or the database, is refused.
    public func serverKey(legacyFile: String?) async throws -> [UInt8] {
        let legacy = try legacyFile.flatMap { try SigningKeyFile.contents(path: $0) }
        if let legacy, legacy.count < Self.serverKeyLength {
            throw AuthError.invalidInput("\(legacyFile ?? "") holds \(legacy.count) bytes; at least "
                                         + "\(Self.serverKeyLength) are required")
        }
        let key = try await value(named: Self.serverKeySetting, offering: legacy, legacySource: legacyFile) {
            SecureRandom.bytes(Self.serverKeyLength)
        }
        guard key.count >= Self.serverKeyLength else {
            throw AuthError.invalidInput("the stored server key holds \(key.count) bytes; at least "
                                         + "\(Self.serverKeyLength) are required")
        }
        return key
    }

    /// The bytes stored under `name`; when absent, offers `legacy` (or a generated value) with
    /// insert-if-absent and returns the value that won.
    func value(named name: String, offering legacy: [UInt8]?, legacySource: String?,
               generate: () throws -> [UInt8]) async throws -> [UInt8] {
        if let stored = try await store.setting(name) {
            let bytes = try decode(stored, name: name)
            if legacy != nil, legacy != bytes {
                log("\(legacySource ?? name) differs from the cluster key in the database; using the database key")
            }
            try await resealIfNeeded(stored, bytes: bytes, name: name)
            return bytes
        }
        let offered = try legacy ?? generate()
        let winner = try decode(try await store.insertSettingIfAbsent(name, encode(offered)), name: name)
        if winner == offered {
            log(legacy != nil ? "imported \(legacySource ?? name) into the database as \(name)"
                              : "generated \(name) and stored it in the database")
        } else if legacy != nil {
            log("\(legacySource ?? name) differs from the key another node stored first; using the database key")
        }
        return winner
    }

    /// Stores a value kept in the clear sealed, once a sealing secret is configured.
    private func resealIfNeeded(_ stored: String, bytes: [UInt8], name: String) async throws {
        guard sealer != nil, stored.hasPrefix(Self.plainPrefix) else { return }
        try await store.setSetting(name, encode(bytes))
        log("sealed \(name) with the secret key")
    }

    /// `sealed:<sealed base64url>` with a sealer, `plain:<base64url>` without.
    func encode(_ bytes: [UInt8]) -> String {
        let text = JWKBase64URL.encode(bytes)
        guard let sealer else { return Self.plainPrefix + text }
        return Self.sealedPrefix + sealer.seal(text)
    }

    func decode(_ stored: String, name: String) throws -> [UInt8] {
        let text: Substring
        if stored.hasPrefix(Self.sealedPrefix) {
            guard let sealer else {
                throw AuthError.invalidInput("\(name) is sealed in the database; set BERTH_SECRET_KEY or "
                                             + "BERTH_SECRET_KEY_FILE to the cluster's secret key")
            }
            guard let opened = sealer.open(String(stored.dropFirst(Self.sealedPrefix.count))) else {
                throw AuthError.invalidInput("\(name) does not open with this secret key; every node needs the same one")
            }
            text = Substring(opened)
        } else if stored.hasPrefix(Self.plainPrefix) {
            text = stored.dropFirst(Self.plainPrefix.count)
        } else {
            throw AuthError.invalidInput("\(name) in the database has an unknown format")
        }
        guard let bytes = JWKBase64URL.decode(text), !bytes.isEmpty else {
            throw AuthError.invalidInput("\(name) in the database is not valid base64url")
        }
        return bytes
    }
}
