/// What `/systeminfo` reports and how the Harbor API describes this server.
public struct HarborSettings: Sendable {
    /// The URL clients reach Berth at (empty: derived from the `Host` header).
    public var externalURL: String
    /// Reported as `harbor_version`.
    public var version: String
    /// `db_auth` or `oidc_auth`.
    public var authMode: String
    /// Reported as `registry_storage_provider_name`.
    public var storageProvider: String
    public var selfRegistration: Bool

    public init(externalURL: String = "", version: String = "v2.11.0-berth", authMode: String = "db_auth",
                storageProvider: String = "filesystem", selfRegistration: Bool = false) {
        self.externalURL = externalURL
        self.version = version
        self.authMode = authMode
        self.storageProvider = storageProvider
        self.selfRegistration = selfRegistration
    }
}
