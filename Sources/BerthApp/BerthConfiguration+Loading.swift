import BerthCore
import FoundationEssentials
import Glibc

extension BerthConfiguration {
    /// Reads a JSON configuration file; keys left out keep their defaults.
    public static func load(file path: String) throws -> BerthConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read configuration file \(path)")
        }
        do {
            return try JSONDecoder().decode(BerthConfiguration.self, from: data)
        } catch {
            throw ConfigurationError("invalid configuration file \(path): \(error)")
        }
    }

    /// Applies `BERTH_…` environment variables.
    public mutating func applyEnvironment(_ lookup: (String) -> String? = BerthConfiguration.environment) throws {
        if let value = lookup("BERTH_LISTEN") { listen = value }
        if let value = lookup("BERTH_DATA_DIR") { dataDirectory = value }
        if let value = lookup("BERTH_DATABASE_URL") { database = value }
        if let value = lookup("BERTH_STORAGE_URL") { storage = value }
        if let value = lookup("BERTH_LOG_LEVEL") { log.level = value }
        if let value = lookup("BERTH_LOG_JSON") { log.json = ["1", "true", "yes"].contains(value.lowercased()) }
        if let value = lookup("BERTH_ACCESS_LOG") { http.accessLog = ["1", "true", "yes"].contains(value.lowercased()) }
        if let value = lookup("BERTH_UPLOAD_PURGE_AGE_SECONDS") {
            guard let seconds = Int64(value) else { throw ConfigurationError("BERTH_UPLOAD_PURGE_AGE_SECONDS must be a number") }
            uploadPurgeAgeSeconds = seconds
        }
        oidc.applyEnvironment(lookup)
        tls.applyEnvironment(lookup)
        vulndb.applyEnvironment(lookup)
        if let value = lookup("BERTH_READ_ONLY") { readOnly = ["1", "true", "yes"].contains(value.lowercased()) }
    }

    /// The process environment.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

extension BerthConfiguration {
    enum CodingKeys: String, CodingKey {
        case listen, dataDirectory, database, storage, uploadPurgeAgeSeconds, uploadPurgeIntervalSeconds, maxManifestBytes
        case shutdownGraceSeconds, http, log, oidc, tls, readOnly, s3, vulndb
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
        dataDirectory = try c.decodeIfPresent(String.self, forKey: .dataDirectory) ?? dataDirectory
        database = try c.decodeIfPresent(String.self, forKey: .database)
        storage = try c.decodeIfPresent(String.self, forKey: .storage)
        uploadPurgeAgeSeconds = try c.decodeIfPresent(Int64.self, forKey: .uploadPurgeAgeSeconds) ?? uploadPurgeAgeSeconds
        uploadPurgeIntervalSeconds = try c.decodeIfPresent(Int64.self, forKey: .uploadPurgeIntervalSeconds)
            ?? uploadPurgeIntervalSeconds
        maxManifestBytes = try c.decodeIfPresent(Int.self, forKey: .maxManifestBytes) ?? maxManifestBytes
        shutdownGraceSeconds = try c.decodeIfPresent(Double.self, forKey: .shutdownGraceSeconds) ?? shutdownGraceSeconds
        http = try c.decodeIfPresent(HTTPSettings.self, forKey: .http) ?? http
        log = try c.decodeIfPresent(LogSettings.self, forKey: .log) ?? log
        oidc = try c.decodeIfPresent(OIDCSettings.self, forKey: .oidc) ?? oidc
        tls = try c.decodeIfPresent(TLSSettings.self, forKey: .tls) ?? tls
        readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly) ?? readOnly
        s3 = try c.decodeIfPresent(S3Settings.self, forKey: .s3) ?? s3
        vulndb = try c.decodeIfPresent(VulnDBSettings.self, forKey: .vulndb) ?? vulndb
    }
}

extension BerthConfiguration.HTTPSettings {
    enum CodingKeys: String, CodingKey {
        case eventLoops, maxHeadBytes, maxHeaderCount, maxURILength, idleTimeoutSeconds
        case headReadTimeoutSeconds, bodyStallTimeoutSeconds, accessLog
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        eventLoops = try c.decodeIfPresent(Int.self, forKey: .eventLoops) ?? eventLoops
        maxHeadBytes = try c.decodeIfPresent(Int.self, forKey: .maxHeadBytes) ?? maxHeadBytes
        maxHeaderCount = try c.decodeIfPresent(Int.self, forKey: .maxHeaderCount) ?? maxHeaderCount
        maxURILength = try c.decodeIfPresent(Int.self, forKey: .maxURILength) ?? maxURILength
        idleTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .idleTimeoutSeconds) ?? idleTimeoutSeconds
        headReadTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .headReadTimeoutSeconds) ?? headReadTimeoutSeconds
        bodyStallTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .bodyStallTimeoutSeconds) ?? bodyStallTimeoutSeconds
        accessLog = try c.decodeIfPresent(Bool.self, forKey: .accessLog) ?? accessLog
    }
}

extension BerthConfiguration.LogSettings {
    enum CodingKeys: String, CodingKey { case level, json }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decodeIfPresent(String.self, forKey: .level) ?? level
        json = try c.decodeIfPresent(Bool.self, forKey: .json) ?? json
    }
}
