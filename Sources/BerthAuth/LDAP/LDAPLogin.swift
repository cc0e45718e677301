import BerthCore
import BerthMetadata
import Synchronization

/// The password check of `ldap_auth` mode, for `Authenticator.directoryVerifier`: while the live mode is
/// LDAP, a password the directory accepts logs in its (onboarded) user. A directory that cannot be reached
/// or a user who may not be onboarded is a failed login, logged with the reason.
public final class LDAPLogin: Sendable {
    let settings: AuthSettingsStore
    let store: any IdentityStore
    private let onboarded = Mutex<(@Sendable (UserRecord) -> Void)?>(nil)

    public init(settings: AuthSettingsStore, store: any IdentityStore) {
        self.settings = settings
        self.store = store
    }

    /// Calls `handler` with each user a first LDAP login creates (the audit log records it).
    public func whenOnboarded(_ handler: @escaping @Sendable (UserRecord) -> Void) {
        onboarded.withLock { $0 = handler }
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
            let (user, created) = try await LDAPOnboarding(store: store, adminGroupDN: live.ldap.groupAdminDN).onboard(found)
            if created, let handler = onboarded.withLock({ $0 }) { handler(user) }
            return user
        } catch let error as LDAPError {
            Log.warning("ldap: login of \(username) failed: \(error)")
            return nil
        } catch let failure as LDAPOnboarding.Failure {
            Log.warning("ldap: \(username) may not log in: \(failure)")
            return nil
        }
    }
}
