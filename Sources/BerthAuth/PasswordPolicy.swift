/// Harbor's password rule: 8 to 128 characters with at least one uppercase letter, one lowercase
/// letter and one digit (ASCII classes, as Harbor's `[A-Z]`, `[a-z]` and `[0-9]`).
public enum PasswordPolicy {
    /// Harbor's message for any breach of the rule (its `requireValidSecret`), returned with 400 BAD_REQUEST.
    public static let message =
        "the password or secret must be longer than 8 chars with at least 1 uppercase letter, 1 lowercase letter and 1 number"

    /// Throws `AuthError.invalidPassword` with Harbor's message when `password` breaks the rule.
    public static func validate(_ password: String) throws(AuthError) {
        guard let reason = violation(of: password) else { return }
        throw .invalidPassword(message + " (" + reason + ")")
    }

    /// What is wrong with `password` (length first, then each missing class), or nil when it is valid.
    public static func violation(of password: String) -> String? {
        let count = password.count
        guard count >= 8, count <= 128 else { return "it has \(count) characters; 8 to 128 are allowed" }
        let scalars = password.unicodeScalars
        guard scalars.contains(where: { ("A"..."Z").contains($0) }) else { return "no uppercase letter" }
        guard scalars.contains(where: { ("a"..."z").contains($0) }) else { return "no lowercase letter" }
        guard scalars.contains(where: { ("0"..."9").contains($0) }) else { return "no digit" }
        return nil
    }

    /// Whether `password` satisfies the rule.
    public static func isValid(_ password: String) -> Bool {
        violation(of: password) == nil
    }
}
