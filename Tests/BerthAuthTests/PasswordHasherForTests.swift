import BerthCrypto

enum PasswordHasherForTests {
    /// Few iterations: the format and checks are the same, only slower hashes differ.
    static let fast = PasswordHasher(iterations: 1_000)
}
