import BerthCore

/// Parses `berth` command lines. Kept apart from `main` so it can be tested.
public enum BerthCommand: Equatable, Sendable {
    case help
    case version
    case serve(ServeOptions)
    /// `berth admin …`: user, project and robot management on the stores.
    case admin(AdminCommand)
    /// `berth vulndb …`: import and inspect the offline vulnerability database.
    case vulndb(VulnDBCommand)

    /// The flags of `berth serve`; nil means "not given".
    public struct ServeOptions: Equatable, Sendable {
        public var configFile: String?
        public var listen: String?
        public var dataDirectory: String?
        public var database: String?
        public var storage: String?
        public init(configFile: String? = nil, listen: String? = nil, dataDirectory: String? = nil,
                    database: String? = nil, storage: String? = nil) {
            self.configFile = configFile
            self.listen = listen
            self.dataDirectory = dataDirectory
            self.database = database
            self.storage = storage
        }
    }

    public static let releaseVersion = "0.1.0"

    public static let usage = """
        Berth \(releaseVersion): a private container registry.

        Usage:
          berth serve [--config FILE] [--listen HOST:PORT] [--data DIR] [--database URL] [--storage URL]
          berth admin user|project|robot … [--config FILE] [--data DIR] [--database URL]
          berth vulndb import|status|update … [--config FILE] [--data DIR]
          berth --help | --version

        serve     Run the registry. Settings come from defaults, then the JSON file given with
                  --config, then the environment (BERTH_LISTEN, BERTH_DATA_DIR, BERTH_DATABASE_URL,
                  BERTH_STORAGE_URL, BERTH_LOG_LEVEL,
                  BERTH_LOG_JSON, BERTH_ACCESS_LOG, BERTH_UPLOAD_PURGE_AGE_SECONDS), then flags.
                  Defaults: --listen 0.0.0.0:5000, --data ./data, --database sqlite:DATA/berth.db,
                  --storage file:DATA. Also postgres://user:pass@host:port/db and
                  s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1.
                  Access control is always on: the first start creates the user admin (password from
                  BERTH_ADMIN_PASSWORD, or random and printed once) and the public project library.
                  Anonymous clients may only pull from public projects.

        admin     Manage users, projects and robots without the API (see berth admin --help).
        vulndb    Import or download OSV advisories and severity tables for the built-in scanner
                  (see berth vulndb --help).
        """

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> BerthCommand {
        guard let first = arguments.first else { return .help }
        switch first {
        case "--help", "-h", "help": return .help
        case "--version", "-v", "version": return .version
        case "admin":
            let rest = Array(arguments.dropFirst())
            if rest.isEmpty || rest.contains(where: { ["--help", "-h", "help"].contains($0) }) {
                throw ConfigurationError(AdminCommand.usage)
            }
            return .admin(try AdminCommand.parse(rest))
        case "vulndb":
            let rest = Array(arguments.dropFirst())
            if rest.isEmpty || rest.contains(where: { ["--help", "-h", "help"].contains($0) }) {
                throw ConfigurationError(VulnDBCommand.usage)
            }
            return .vulndb(try VulnDBCommand.parse(rest))
        case "serve":
            var options = ServeOptions()
            var index = 1
            while index < arguments.count {
                let flag = arguments[index]
                if let equals = flag.firstIndex(of: "="), flag.hasPrefix("--") {
                    try assign(String(flag[..<equals]), String(flag[flag.index(after: equals)...]), &options)
                    index += 1
                    continue
                }
                guard index + 1 < arguments.count else { throw ConfigurationError("\(flag) needs a value") }
                try assign(flag, arguments[index + 1], &options)
                index += 2
            }
            return .serve(options)
        default:
            throw ConfigurationError("unknown command \"\(first)\"; see berth --help")
        }
    }

    private static func assign(_ flag: String, _ value: String, _ options: inout ServeOptions) throws(ConfigurationError) {
        switch flag {
        case "--config": options.configFile = value
        case "--listen": options.listen = value
        case "--data": options.dataDirectory = value
        case "--database": options.database = value
        case "--storage": options.storage = value
        default: throw ConfigurationError("unknown option \(flag) for serve; see berth --help")
        }
    }

    /// Builds the effective configuration for `serve`: defaults < file < environment < flags.
    public static func configuration(_ options: ServeOptions,
                                     environment: (String) -> String? = BerthConfiguration.environment) throws
        -> BerthConfiguration {
        var configuration = try options.configFile.map(BerthConfiguration.load(file:)) ?? BerthConfiguration()
        try configuration.applyEnvironment(environment)
        if let listen = options.listen { configuration.listen = listen }
        if let dataDirectory = options.dataDirectory { configuration.dataDirectory = dataDirectory }
        if let database = options.database { configuration.database = database }
        if let storage = options.storage { configuration.storage = storage }
        try configuration.validate()
        return configuration
    }
}
