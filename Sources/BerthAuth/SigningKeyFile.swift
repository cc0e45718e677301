import BerthCrypto
import Glibc

/// The token signing key in the data directory (`token-signing.key`, DER, mode 0600), generated on
/// first start and reused afterwards, so tokens stay valid across restarts and nodes sharing the file.
public enum SigningKeyFile {
    /// Loads the key at `path`, or creates it (atomically) when the file does not exist.
    public static func loadOrCreate(path: String) throws -> ECDSAKey {
        if let bytes = read(path) { return try ECDSAKey(privateKeyDER: bytes) }
        let key = try ECDSAKey.generate()
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw AuthError.invalidInput("cannot write \(temporary): errno \(errno)") }
        let der = key.privateKeyDER
        let written = der.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == der.count, rename(temporary, path) == 0 else {
            throw AuthError.invalidInput("cannot write \(path): errno \(errno)")
        }
        return key
    }

    private static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            out += buffer[0..<count]
        }
        return out.isEmpty ? nil : out
    }
}
