/// `berth vulndb …`: the offline vulnerability database.
public struct VulnDBCommand: Equatable, Sendable {
    /// What to do.
    public enum Action: Equatable, Sendable {
        /// Import OSV (jsonl, directory, zip), Alpine secdb and severity tables into `DATA/vulndb/`.
        case importFiles([String], replace: Bool)
        /// Print the database's age and counts.
        case status
        /// Download osv.dev's per-ecosystem zips for the ecosystems in use (and `ecosystems`) from `source`
        /// (nil: the configured `vulndb.source`) and merge them into the database.
        case update(source: String?, ecosystems: [String])
    }

    public var action: Action
    /// Which data directory: the same `--config` and `--data` as `serve`.
    public var stores: BerthCommand.ServeOptions

    public init(action: Action, stores: BerthCommand.ServeOptions = .init()) {
        self.action = action
        self.stores = stores
    }

    public static let usage = """
        Usage:
          berth vulndb import [--data DIR | --config FILE] [--replace] PATH…
          berth vulndb status [--data DIR | --config FILE]
          berth vulndb update [--data DIR | --config FILE] [--source URL] [--ecosystem NAME]…

        import    Adds OSV records (one per line in .jsonl, a directory of .json files, or osv.dev's
                  per-ecosystem .zip), Alpine secdb JSON and CVE severity tables (.tsv) to the database in
                  DATA/vulndb/ (with --replace, starts from an empty database). Safe while the server runs:
                  the file is replaced atomically and the server reloads it before its next scan.
        status    Prints the database's import time and record counts per ecosystem.
        update    Downloads <source>/<Ecosystem>/all.zip (osv.dev's export layout; default source
                  vulndb.source or BERTH_VULNDB_SOURCE, else https://osv-vulnerabilities.storage.googleapis.com)
                  for every OSV ecosystem found in stored scan inventories plus each --ecosystem, then merges
                  them into the database (severity tables stay). A failed download changes nothing and exits
                  non-zero. Serve runs the same update on the cron in vulndb.update_schedule.
        """

    /// Parses the arguments after `vulndb`.
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> VulnDBCommand {
        guard let verb = arguments.first else { throw ConfigurationError(usage) }
        var stores = BerthCommand.ServeOptions()
        var paths: [String] = []
        var replace = false
        var source: String?
        var ecosystems: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--replace":
                replace = true
                index += 1
            case "--source", "--ecosystem":
                guard index + 1 < arguments.count else { throw ConfigurationError("\(argument) needs a value") }
                if argument == "--source" { source = arguments[index + 1] } else { ecosystems.append(arguments[index + 1]) }
                index += 2
            case "--data", "--config":
                guard index + 1 < arguments.count else { throw ConfigurationError("\(argument) needs a value") }
                if argument == "--data" { stores.dataDirectory = arguments[index + 1] } else { stores.configFile = arguments[index + 1] }
                index += 2
            default:
                if argument.hasPrefix("--data=") { stores.dataDirectory = String(argument.dropFirst(7)) }
                else if argument.hasPrefix("--config=") { stores.configFile = String(argument.dropFirst(9)) }
                else if argument.hasPrefix("--") { throw ConfigurationError("unknown option \(argument) for vulndb; see berth vulndb --help") }
                else { paths.append(argument) }
                index += 1
            }
        }
        switch verb {
        case "import":
            guard !paths.isEmpty else { throw ConfigurationError("vulndb import needs at least one PATH\n" + usage) }
            guard source == nil, ecosystems.isEmpty else { throw ConfigurationError("--source and --ecosystem belong to vulndb update") }
            return VulnDBCommand(action: .importFiles(paths, replace: replace), stores: stores)
        case "update":
            guard paths.isEmpty, !replace else { throw ConfigurationError("vulndb update takes no paths and no --replace") }
            return VulnDBCommand(action: .update(source: source, ecosystems: ecosystems), stores: stores)
        case "status":
            guard paths.isEmpty else { throw ConfigurationError("vulndb status takes no paths") }
            return VulnDBCommand(action: .status, stores: stores)
        default:
            throw ConfigurationError(usage)
        }
    }
}
