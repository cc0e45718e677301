import Glibc

/// Creates the data directory (and its parents) with private permissions.
enum DataDirectory {
    static func prepare(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o750) != 0 && errno != EEXIST {
                throw ConfigurationError("cannot create data directory \(current): errno \(errno)")
            }
        }
        guard access(path, W_OK) == 0 else { throw ConfigurationError("data directory \(path) is not writable") }
    }
}
