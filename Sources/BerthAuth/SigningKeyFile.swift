import BerthCrypto
import Glibc

/// The per-node key files of earlier versions (`token-signing.key`, DER; `oidc-server.key`, raw bytes) in
/// the data directory. Keys now live in the shared database (`SharedKeys`); these files are only read,
/// once, to import a key the database does not have yet, so tokens and sealed secrets survive the upgrade.
public enum SigningKeyFile {
    /// The token signing key in the file at `path`, or nil when there is no such file.
    public static func load(path: String) throws -> ECDSAKey? {
        guard let bytes = try contents(path: path), !bytes.isEmpty else { return nil }
        return try ECDSAKey(privateKeyDER: bytes)
    }

    /// The bytes of the file at `path`; nil when it does not exist. Other read errors throw.
    public static func contents(path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw AuthError.invalidInput("cannot read \(path): errno \(errno)")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AuthError.invalidInput("cannot read \(path): errno \(errno)")
            }
            if count == 0 { break }
            out += buffer[0..<count]
        }
        return out
    }
}
