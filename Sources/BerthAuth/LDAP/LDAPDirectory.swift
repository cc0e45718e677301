import BerthCore
import Synchronization

/// Users in an LDAP directory: the login check (search, then bind as the user), the user search of the
/// admin API, and a connection test. Each call opens its own connection on LDAP's own blocking pool.
public struct LDAPDirectory: Sendable {
    public let settings: LDAPSettings
    let pool: BlockingPool

    /// The most entries one search returns.
    public static let searchLimit = 100

    /// LDAP's own threads: a slow or hanging directory (each call may wait `ldap_timeout`) must not take
    /// the shared pool's threads from blob and database work.
    public static let pool = BlockingPool(threads: 4)

    /// LDAP calls queued or running at most; more fail at once. Each waiting call holds a dispatch thread,
    /// so a flood of logins against a hanging directory must not pile them up without limit.
    public static let maximumInFlight = 32
    private static let inFlight = Atomic<Int>(0)

    public init(settings: LDAPSettings, pool: BlockingPool = LDAPDirectory.pool) {
        self.settings = settings
        self.pool = pool
    }

    /// The user whose uid is `username` when `password` is theirs; nil when there is no such single user
    /// or the password is wrong. Throws `LDAPError` when the directory cannot be used.
    public func authenticate(username: String, password: String) async throws -> LDAPUser? {
        guard !username.isEmpty, !password.isEmpty else { return nil }
        let settings = settings
        return try await run { () throws -> LDAPUser? in
            let connection = try Self.connect(settings)
            let found = try Self.find(connection, settings, uid: username, limit: 2)
            guard found.count == 1, let user = found.first else { return nil }  // none, or ambiguous
            do {
                try connection.bind(dn: user.dn, password: password)
            } catch LDAPError.invalidCredentials {
                return nil
            }
            return user
        }
    }

    /// Users whose uid contains `text` (all when empty), at most `searchLimit`.
    public func search(_ text: String) async throws -> [LDAPUser] {
        let settings = settings
        return try await run {
            let connection = try Self.connect(settings)
            let value = text.isEmpty ? "*" : "*" + LDAPFilter.escape(text) + "*"
            let filter = Self.filter(settings, equality: "(\(settings.uidAttribute)=\(value))")
            return try connection.search(base: settings.baseDN, scope: Int32(settings.scope), filter: filter,
                                         attributes: Self.attributes(settings), limit: Self.searchLimit)
                .compactMap { Self.user($0, settings) }
        }
    }

    /// The user whose uid is exactly `username`, if there is exactly one.
    public func user(named username: String) async throws -> LDAPUser? {
        let settings = settings
        return try await run {
            let found = try Self.find(try Self.connect(settings), settings, uid: username, limit: 2)
            return found.count == 1 ? found.first : nil
        }
    }

    /// Connects and binds as the search DN, then reads the base DN: what `POST /ldap/ping` reports.
    public func ping() async throws {
        let settings = settings
        try await run {
            let connection = try Self.connect(settings)
            // "1.1" asks for no attributes: the base entry's existence is the answer.
            let base = try connection.search(base: settings.baseDN, scope: 0, filter: "(objectClass=*)",
                                             attributes: ["1.1"], limit: 1)
            guard !base.isEmpty else { throw LDAPError.failed("ldap_base_dn \(settings.baseDN) does not exist") }
        }
    }

    /// Runs `body` on LDAP's pool, unless `maximumInFlight` calls are already queued or running.
    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let count = Self.inFlight.add(1, ordering: .relaxed).newValue
        defer { Self.inFlight.subtract(1, ordering: .relaxed) }
        guard count <= Self.maximumInFlight else {
            throw LDAPError.unavailable("more than \(Self.maximumInFlight) LDAP requests are in flight")
        }
        return try await pool.run(body)
    }

    static func connect(_ settings: LDAPSettings) throws(LDAPError) -> LDAPConnection {
        let connection = try LDAPConnection(url: settings.url, timeoutSeconds: settings.timeoutSeconds,
                                            verifyCert: settings.verifyCert)
        if settings.searchDN.isEmpty {
            try connection.bindAnonymously()
        } else {
            do {
                try connection.bind(dn: settings.searchDN, password: settings.searchPassword)
            } catch .invalidCredentials {
                throw .failed("the search DN's bind was refused: check ldap_search_dn and ldap_search_password")
            }
        }
        return connection
    }

    static func find(_ connection: LDAPConnection, _ settings: LDAPSettings, uid: String, limit: Int) throws(LDAPError) -> [LDAPUser] {
        let filter = Self.filter(settings, equality: "(\(settings.uidAttribute)=\(LDAPFilter.escape(uid)))")
        return try connection.search(base: settings.baseDN, scope: Int32(settings.scope), filter: filter,
                                     attributes: attributes(settings), limit: limit).compactMap { user($0, settings) }
    }

    static func filter(_ settings: LDAPSettings, equality: String) -> String {
        let base = settings.filter.trimmingSpaces
        guard !base.isEmpty else { return equality }
        return "(&\(base.hasPrefix("(") ? base : "(\(base))")\(equality))"
    }

    static func attributes(_ settings: LDAPSettings) -> [String] {
        [settings.uidAttribute, "mail", "cn", "displayName", settings.groupMembershipAttribute]
    }

    static func user(_ entry: LDAPEntry, _ settings: LDAPSettings) -> LDAPUser? {
        guard let uid = entry.first(settings.uidAttribute), !uid.isEmpty else { return nil }
        return LDAPUser(dn: entry.dn, username: uid, email: entry.first("mail") ?? "",
                        realname: entry.first("displayName") ?? entry.first("cn") ?? uid,
                        groups: entry.all(settings.groupMembershipAttribute))
    }
}
