/// `berth admin …`: operator commands that work on the stores directly, without the portal or the API.
public struct AdminCommand: Equatable, Sendable {
    /// What to do.
    public enum Action: Equatable, Sendable {
        /// Creates a local user; `password` nil means "generate one and print it".
        case userAdd(name: String, password: String?, email: String, isSysadmin: Bool)
        /// Sets a user's password; `password` nil means "generate one and print it".
        case userPasswd(name: String, password: String?)
        case userList
        case projectCreate(name: String, isPublic: Bool)
        case projectList
        /// Adds (or changes) a user's role in a project.
        case projectMember(project: String, user: String, role: String)
        /// Creates a robot; `project` nil makes a system robot over every project.
        case robotCreate(name: String, project: String?, durationDays: Int64, access: [String])
    }

    public var action: Action
    /// Which stores to open: the same `--config`, `--data` and `--database` as `serve`.
    public var stores: BerthCommand.ServeOptions
    /// Read the password from the first line of standard input (`--password-stdin`).
    public var passwordFromStandardInput: Bool

    public init(action: Action, stores: BerthCommand.ServeOptions = .init(), passwordFromStandardInput: Bool = false) {
        self.action = action
        self.stores = stores
        self.passwordFromStandardInput = passwordFromStandardInput
    }

    /// Robot access when `--access` is not given.
    public static let defaultRobotAccess = ["pull", "push"]

    public static let usage = """
        Usage (store flags as for serve: [--config FILE] [--data DIR] [--database URL]):
          berth admin user add NAME [--password P | --password-stdin] [--email E] [--sysadmin]
          berth admin user passwd NAME [--password P | --password-stdin]
          berth admin user list
          berth admin project create NAME [--public]
          berth admin project list
          berth admin project member PROJECT USER ROLE   (projectAdmin, maintainer, developer, guest, limitedGuest)
          berth admin robot create NAME [--project P] [--duration DAYS|-1] [--access pull,push,delete]
        Without a password option a random password is generated and printed once.
        """

    /// Parses the arguments after `admin`.
    public static func parse(_ arguments: [String]) throws(ConfigurationError) -> AdminCommand {
        var flags = AdminFlags()
        let words = try flags.consume(arguments)
        guard words.count >= 2 else { throw ConfigurationError("berth admin needs a command\n" + usage) }
        let rest = Array(words.dropFirst(2))
        let action: Action
        switch (words[0], words[1]) {
        case ("user", "add"):
            action = .userAdd(name: try single(rest, "user add NAME"), password: flags.password,
                              email: flags.email ?? "", isSysadmin: flags.sysadmin)
        case ("user", "passwd"):
            action = .userPasswd(name: try single(rest, "user passwd NAME"), password: flags.password)
        case ("user", "list"):
            try none(rest)
            action = .userList
        case ("project", "create"):
            action = .projectCreate(name: try single(rest, "project create NAME"), isPublic: flags.isPublic)
        case ("project", "list"):
            try none(rest)
            action = .projectList
        case ("project", "member"):
            guard rest.count == 3 else { throw ConfigurationError("usage: berth admin project member PROJECT USER ROLE") }
            action = .projectMember(project: rest[0], user: rest[1], role: rest[2])
        case ("robot", "create"):
            let days = try flags.duration.map { text throws(ConfigurationError) -> Int64 in
                guard let value = Int64(text) else { throw ConfigurationError("--duration must be a number of days") }
                return value
            } ?? -1
            let access = flags.access?.split(separator: ",").map(String.init) ?? defaultRobotAccess
            action = .robotCreate(name: try single(rest, "robot create NAME"), project: flags.project,
                                  durationDays: days, access: access)
        default:
            throw ConfigurationError("unknown admin command \"\(words[0]) \(words[1])\"\n" + usage)
        }
        if flags.password != nil && flags.passwordStdin {
            throw ConfigurationError("give either --password or --password-stdin")
        }
        return AdminCommand(action: action, stores: flags.stores, passwordFromStandardInput: flags.passwordStdin)
    }

    private static func single(_ rest: [String], _ form: String) throws(ConfigurationError) -> String {
        guard rest.count == 1 else { throw ConfigurationError("usage: berth admin \(form)") }
        return rest[0]
    }

    private static func none(_ rest: [String]) throws(ConfigurationError) {
        guard rest.isEmpty else { throw ConfigurationError("unexpected argument \(rest[0])") }
    }
}

/// The `--flag value` options of `berth admin`, in any position.
struct AdminFlags {
    var stores = BerthCommand.ServeOptions()
    var password: String?
    var passwordStdin = false
    var email: String?
    var sysadmin = false
    var isPublic = false
    var project: String?
    var duration: String?
    var access: String?

    /// Takes the flags out of `arguments`; returns the remaining words in order.
    mutating func consume(_ arguments: [String]) throws(ConfigurationError) -> [String] {
        var words: [String] = []
        var index = 0
        while index < arguments.count {
            var flag = arguments[index]
            index += 1
            guard flag.hasPrefix("--") else { words.append(flag); continue }
            var inline: String?
            if let equals = flag.firstIndex(of: "=") {
                inline = String(flag[flag.index(after: equals)...])
                flag = String(flag[..<equals])
            }
            switch flag {
            case "--password-stdin": passwordStdin = true; continue
            case "--sysadmin": sysadmin = true; continue
            case "--public": isPublic = inline.map { $0 != "false" } ?? true; continue
            default: break
            }
            let value: String
            if let inline {
                value = inline
            } else {
                guard index < arguments.count else { throw ConfigurationError("\(flag) needs a value") }
                value = arguments[index]
                index += 1
            }
            switch flag {
            case "--config": stores.configFile = value
            case "--data": stores.dataDirectory = value
            case "--database": stores.database = value
            case "--password": password = value
            case "--email": email = value
            case "--project": project = value
            case "--duration": duration = value
            case "--access": access = value
            default: throw ConfigurationError("unknown option \(flag) for admin\n" + AdminCommand.usage)
            }
        }
        return words
    }
}
