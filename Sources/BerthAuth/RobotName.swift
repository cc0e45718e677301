/// Robot account names: `robot$<name>` (system level) and `robot$<project>+<name>` (project level).
public enum RobotName {
    /// Harbor's default prefix.
    public static let prefix = "robot$"

    /// The full name of a robot.
    public static func full(name: String, project: String?) -> String {
        if let project { return prefix + project + "+" + name }
        return prefix + name
    }

    /// Whether a login name looks like a robot's.
    public static func isRobot(_ login: String) -> Bool { login.hasPrefix(prefix) }

    /// Validates the short name: 1 to 255 of lowercase letters, digits and `._-`, starting alphanumeric.
    public static func validate(_ name: String) throws(AuthError) {
        guard let first = name.unicodeScalars.first, name.count <= 255,
              (first >= "a" && first <= "z") || (first >= "0" && first <= "9") else {
            throw .invalidInput("invalid robot name \(name)")
        }
        for scalar in name.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "_"
                || scalar == "-"
            if !ok { throw .invalidInput("invalid robot name \(name)") }
        }
    }
}
