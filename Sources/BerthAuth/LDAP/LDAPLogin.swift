import BerthCore
import BerthMetadata

/// The password check of `ldap_auth` mode, for `Authenticator.directoryVerifier`: while the live mode is
/// LDAP, a password the directory accepts logs in its (onboarded) user. A directory that cannot be reached
/// or a user who may not be onboarded is a failed login, logged with the reason.
public struct LDAPLogin: Sendable {
    let settings: AuthSettingsStore
    let store: any IdentityStore

    public init(settings: AuthSettingsStore, store: any IdentityStore) {
        self.settings = settings
        self.store = store
    }

    /// The Berth user for `username` when the directory accepts `password`; nil otherwise or when the
    /// mode is not `ldap_auth`.
    public func verify(username: String, password: String) async throws -> UserRecord? {
        let live = try await settings.current()
        guard live.usesLDAP else { return nil }
        do {
            guard let found = try await LDAPDirectory(settings: live.ldap).authenticate(username: username,
                                                                                       password: password) else {
                return nil
            }
            return try await LDAPOnboarding(store: store, adminGroupDN: live.ldap.groupAdminDN).onboard(found).user
        } catch let error as LDAPError {
            Log.warning("ldap: login of \(username) failed: \(error)")
            return nil
        } catch let failure as LDAPOnboarding.Failure {
            Log.warning("ldap: \(username) may not log in: \(failure)")
            return nil
        }
    }
}
