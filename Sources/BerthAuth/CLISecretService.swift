import BerthMetadata

/// The CLI secret of OIDC users: shown in the profile, regenerated or set on request, and accepted as the
/// registry password. It is stored sealed (`CLISecretCipher`) in the user's `cliSecret` column and does
/// not depend on any ID token, so it keeps working after the token expires, until the user is disabled
/// or the secret is replaced.
public struct CLISecretService: Sendable {
    let cipher: CLISecretCipher
    let store: any IdentityStore

    public init(cipher: CLISecretCipher, store: any IdentityStore) {
        self.cipher = cipher
        self.store = store
    }

    /// Why a CLI secret could not be set.
    public enum Failure: Error, Equatable, Sendable {
        case userNotFound
        /// Only OIDC users have a CLI secret.
        case notAnOIDCUser
        /// The secret does not meet the password rule (8 to 128 characters, upper, lower, digit).
        case weakSecret
    }

    /// The current secret in clear, for the profile; nil for non-OIDC users or an unreadable seal.
    public func reveal(_ user: UserRecord) -> String? {
        guard user.source == "oidc", let sealed = user.cliSecret else { return nil }
        return cipher.open(sealed)
    }

    /// A fresh random secret, sealed, for a user being created.
    public func freshSealedSecret() -> String {
        cipher.seal(CLISecretPolicy.generate())
    }

    /// Replaces the user's secret with `secret`, or with a random one when nil; returns the new secret.
    /// The old secret stops working at once.
    @discardableResult
    public func replace(userID: Int64, with secret: String? = nil) async throws -> String {
        guard var user = try await store.user(id: userID) else { throw Failure.userNotFound }
        guard user.source == "oidc" else { throw Failure.notAnOIDCUser }
        let value = secret ?? CLISecretPolicy.generate()
        guard CLISecretPolicy.isAcceptable(value) else { throw Failure.weakSecret }
        user.cliSecret = cipher.seal(value)
        try await store.updateUser(user)
        return value
    }

    /// The user when `secret` is the current CLI secret of the enabled OIDC user `username`, else nil.
    public func authenticate(username: String, secret: String) async throws -> UserRecord? {
        guard let user = try await store.user(named: username), user.source == "oidc", !user.isDisabled,
              let sealed = user.cliSecret, cipher.matches(secret, sealed: sealed) else { return nil }
        return user
    }
}
