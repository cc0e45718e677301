import BerthMetadata

/// Turns a verified `OIDCIdentity` into a Berth user: creates it on first login (source `oidc`, a fresh
/// CLI secret, sysadmin when in the admin group) and refreshes email, name and sysadmin on later logins.
public struct OIDCOnboarding: Sendable {
    let store: any IdentityStore
    let secrets: CLISecretService
    /// When true, the admin group decides sysadmin on every login (grant and revoke); when false (no
    /// admin group configured) sysadmin is left as an administrator set it.
    let adminGroupConfigured: Bool
    let clock: @Sendable () -> Int64

    public init(store: any IdentityStore, secrets: CLISecretService, adminGroupConfigured: Bool,
                clock: @escaping @Sendable () -> Int64) {
        self.store = store
        self.secrets = secrets
        self.adminGroupConfigured = adminGroupConfigured
        self.clock = clock
    }

    /// Why an OIDC user may not log in.
    public enum Failure: Error, Equatable, Sendable {
        /// The user is disabled by an administrator.
        case disabled
        /// The username from the token belongs to another (local or other-provider) account.
        case usernameTaken(String)
    }

    /// The user for `identity`, created when new. Returns the user and whether it was created.
    public func onboard(_ identity: OIDCIdentity) async throws -> (user: UserRecord, created: Bool) {
        if var user = try await store.user(oidcSubject: identity.storedSubject) {
            guard !user.isDisabled else { throw Failure.disabled }
            var changed = false
            if !identity.email.isEmpty, user.email != identity.email { user.email = identity.email; changed = true }
            if !identity.realname.isEmpty, user.realname != identity.realname { user.realname = identity.realname; changed = true }
            if adminGroupConfigured, user.isSysadmin != identity.isAdmin { user.isSysadmin = identity.isAdmin; changed = true }
            if user.cliSecret == nil { user.cliSecret = secrets.freshSealedSecret(); changed = true }
            if changed { try await store.updateUser(user) }
            return (try await store.user(id: user.id) ?? user, false)
        }
        if try await store.user(named: identity.username) != nil { throw Failure.usernameTaken(identity.username) }
        let now = clock()
        let record = UserRecord(username: identity.username, email: identity.email, realname: identity.realname,
                                comment: "onboarded from OIDC", passwordHash: nil, isSysadmin: identity.isAdmin,
                                source: "oidc", oidcSubject: identity.storedSubject,
                                cliSecret: secrets.freshSealedSecret(), createdAt: now, updatedAt: now)
        do {
            return (try await store.createUser(record), true)
        } catch IdentityStoreError.conflict {
            throw Failure.usernameTaken(identity.username)
        }
    }
}
