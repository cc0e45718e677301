import BerthJobs

/// The vulnerability database's update source and schedule (JSON `vulndb`, environment `BERTH_VULNDB_…`).
public struct VulnDBSettings: Codable, Sendable, Equatable {
    /// osv.dev's public export: `<source>/<Ecosystem>/all.zip`.
    public static let defaultSource = "https://osv-vulnerabilities.storage.googleapis.com"

    /// Base URL serving osv.dev's layout (`vulndb.source`, `BERTH_VULNDB_SOURCE`).
    public var source = VulnDBSettings.defaultSource
    /// Five-field cron (minute hour day month weekday) for `vulndb.update` jobs; empty means no schedule
    /// (`vulndb.update_schedule`, `BERTH_VULNDB_UPDATE_SCHEDULE`).
    public var updateSchedule = ""
    /// Largest file accepted by `POST /api/v2.0/vulndb/import` (`vulndb.max_import_bytes`).
    public var maxImportBytes: Int64 = 512 << 20
    /// Largest zip one update downloads (`vulndb.max_download_bytes`).
    public var maxDownloadBytes: Int64 = 2 << 30

    public init() {}

    enum CodingKeys: String, CodingKey {
        case source, update_schedule, updateSchedule, max_import_bytes, maxImportBytes, max_download_bytes, maxDownloadBytes
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? source
        updateSchedule = try c.decodeIfPresent(String.self, forKey: .update_schedule)
            ?? c.decodeIfPresent(String.self, forKey: .updateSchedule) ?? updateSchedule
        maxImportBytes = try c.decodeIfPresent(Int64.self, forKey: .max_import_bytes)
            ?? c.decodeIfPresent(Int64.self, forKey: .maxImportBytes) ?? maxImportBytes
        maxDownloadBytes = try c.decodeIfPresent(Int64.self, forKey: .max_download_bytes)
            ?? c.decodeIfPresent(Int64.self, forKey: .maxDownloadBytes) ?? maxDownloadBytes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(updateSchedule, forKey: .update_schedule)
        try c.encode(maxImportBytes, forKey: .max_import_bytes)
        try c.encode(maxDownloadBytes, forKey: .max_download_bytes)
    }

    /// Applies `BERTH_VULNDB_SOURCE` and `BERTH_VULNDB_UPDATE_SCHEDULE`.
    mutating func applyEnvironment(_ lookup: (String) -> String?) {
        if let value = lookup("BERTH_VULNDB_SOURCE") { source = value }
        if let value = lookup("BERTH_VULNDB_UPDATE_SCHEDULE") { updateSchedule = value }
    }

    /// The schedule as the job scheduler's six-field cron (seconds first), nil when off.
    var jobCron: String? {
        let fields = updateSchedule.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.isEmpty ? nil : "0 " + fields.joined(separator: " ")
    }

    /// An http(s) source, a five-field cron that parses, positive bounds.
    public func validate() throws(ConfigurationError) {
        guard source.hasPrefix("http://") || source.hasPrefix("https://") else {
            throw ConfigurationError("vulndb.source must be an http:// or https:// URL, got \"\(source)\"")
        }
        if let cron = jobCron {
            guard updateSchedule.split(whereSeparator: { $0 == " " || $0 == "\t" }).count == 5 else {
                throw ConfigurationError("vulndb.update_schedule must have five cron fields, got \"\(updateSchedule)\"")
            }
            do { _ = try CronExpression(cron) } catch {
                throw ConfigurationError("vulndb.update_schedule \"\(updateSchedule)\" is not a valid cron expression: \(error)")
            }
        }
        guard maxImportBytes > 0, maxDownloadBytes > 0 else {
            throw ConfigurationError("vulndb byte limits must be positive")
        }
    }
}
