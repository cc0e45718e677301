import BerthCore

/// Parses `berth` command lines. Kept apart from `main` so it can be tested.
public enum BerthCommand: Equatable, Sendable {
    case help
    case version
    case serve(configFile: String?, listen: String?, dataDirectory: String?)

    public static let releaseVersion = "0.1.0"

    public static let usage = """
        Berth \(releaseVersion): a private container registry.

        Usage:
          berth serve [--config FILE] [--listen HOST:PORT] [--data DIR]
          berth --help | --version

        serve     Run the registry. Settings come from defaults, then the JSON file given with
                  --config, then the environment (BERTH_LISTEN, BERTH_DATA_DIR, BERTH_LOG_LEVEL,
                  BERTH_LOG_JSON, BERTH_ACCESS_LOG, BERTH_UPLOAD_PURGE_AGE_SECONDS), then flags.
                  Defaults: --listen 0.0.0.0:5000, --data ./data.
        """

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> BerthCommand {
        guard let first = arguments.first else { return .help }
        switch first {
        case "--help", "-h", "help": return .help
        case "--version", "-v", "version": return .version
        case "serve":
            var configFile: String?, listen: String?, data: String?
            var index = 1
            while index < arguments.count {
                let flag = arguments[index]
                var value: String
                if let equals = flag.firstIndex(of: "="), flag.hasPrefix("--") {
                    value = String(flag[flag.index(after: equals)...])
                    index += 1
                    try assign(String(flag[..<equals]), value, &configFile, &listen, &data)
                    continue
                }
                guard index + 1 < arguments.count else { throw ConfigurationError("\(flag) needs a value") }
                value = arguments[index + 1]
                index += 2
                try assign(flag, value, &configFile, &listen, &data)
            }
            return .serve(configFile: configFile, listen: listen, dataDirectory: data)
        default:
            throw ConfigurationError("unknown command \"\(first)\"; see berth --help")
        }
    }

    private static func assign(_ flag: String, _ value: String, _ configFile: inout String?,
                               _ listen: inout String?, _ data: inout String?) throws(ConfigurationError) {
        switch flag {
        case "--config": configFile = value
        case "--listen": listen = value
        case "--data": data = value
        default: throw ConfigurationError("unknown option \(flag) for serve; see berth --help")
        }
    }

    /// Builds the effective configuration for `serve`: defaults < file < environment < flags.
    public static func configuration(configFile: String?, listen: String?, dataDirectory: String?,
                                     environment: (String) -> String? = BerthConfiguration.environment) throws
        -> BerthConfiguration {
        var configuration = try configFile.map(BerthConfiguration.load(file:)) ?? BerthConfiguration()
        try configuration.applyEnvironment(environment)
        if let listen { configuration.listen = listen }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        try configuration.validate()
        return configuration
    }
}
