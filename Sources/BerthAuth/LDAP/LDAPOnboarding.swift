import BerthMetadata

/// Turns a directory user into a Berth user: created on first login (source `ldap`, no password, since the
/// directory checks it) and refreshed on later logins. A name that belongs to a local or OIDC account is
/// never taken over, so a directory entry named `admin` cannot become Berth's administrator.
public struct LDAPOnboarding: Sendable {
    let store: any IdentityStore
    /// Members of this group DN are system administrators; when set, membership grants and revokes
    /// sysadmin at each login, when empty sysadmin stays as an administrator set it.
    let adminGroupDN: String
    let clock: @Sendable () -> Int64

    /// The `source` of users onboarded from a directory.
    public static let source = "ldap"

    public init(store: any IdentityStore, adminGroupDN: String, clock: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.store = store
        self.adminGroupDN = adminGroupDN
        self.clock = clock
    }

    /// Why a directory user may not log in.
    public enum Failure: Error, Equatable, Sendable {
        case disabled
        /// The name belongs to an account that does not come from the directory.
        case usernameTaken(String)
        /// The directory's name is not a valid Berth username.
        case invalidUsername(String)
    }

    /// The Berth user for `found`, created when new; returns it and whether it was created.
    public func onboard(_ found: LDAPUser) async throws -> (user: UserRecord, created: Bool) {
        let isAdmin = !adminGroupDN.isEmpty && found.isMember(of: adminGroupDN)
        if var user = try await store.user(named: found.username) {
            guard user.source == Self.source else { throw Failure.usernameTaken(found.username) }
            guard !user.isDisabled else { throw Failure.disabled }
            var changed = false
            if !found.email.isEmpty, user.email != found.email { user.email = found.email; changed = true }
            if user.realname != found.realname { user.realname = found.realname; changed = true }
            if !adminGroupDN.isEmpty, user.isSysadmin != isAdmin { user.isSysadmin = isAdmin; changed = true }
            if changed {
                user.updatedAt = clock()
                try await store.updateUser(user)
            }
            return (user, false)
        }
        do {
            try IdentityService.validateUsername(found.username)
        } catch {
            throw Failure.invalidUsername(found.username)
        }
        let now = clock()
        let record = UserRecord(username: found.username, email: found.email, realname: found.realname,
                                comment: "onboarded from LDAP", passwordHash: nil, isSysadmin: isAdmin,
                                source: Self.source, createdAt: now, updatedAt: now)
        do {
            return (try await store.createUser(record), true)
        } catch IdentityStoreError.conflict {
            throw Failure.usernameTaken(found.username)
        }
    }
}
