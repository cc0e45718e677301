/// Harbor's password rule: 8 to 128 characters with at least one uppercase letter, one lowercase
/// letter and one digit.
public enum PasswordPolicy {
    /// Throws `AuthError.invalidPassword` with the reason when `password` breaks the rule.
    public static func validate(_ password: String) throws(AuthError) {
        let count = password.count
        guard count >= 8, count <= 128 else { throw .invalidPassword("the password must be 8 to 128 characters long") }
        guard password.contains(where: { $0.isASCII && $0.isUppercase }) else {
            throw .invalidPassword("the password needs an uppercase letter")
        }
        guard password.contains(where: { $0.isASCII && $0.isLowercase }) else {
            throw .invalidPassword("the password needs a lowercase letter")
        }
        guard password.contains(where: { $0.isASCII && $0.isNumber }) else {
            throw .invalidPassword("the password needs a digit")
        }
    }

    /// Whether `password` satisfies the rule.
    public static func isValid(_ password: String) -> Bool {
        (try? validate(password)) != nil
    }
}
