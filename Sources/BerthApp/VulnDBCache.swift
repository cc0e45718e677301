import BerthScanner
import Glibc
import Synchronization

/// The loaded vulnerability database, reloaded when `berth vulndb import` replaced the file (checked by
/// modification time on every use, so a running server picks an import up before its next scan).
final class VulnDBCache: Sendable {
    let store: VulnerabilityDatabaseStore
    private let loaded = Mutex<(mtime: Int64, database: VulnerabilityDatabase?)>((0, nil))

    init(dataDirectory: String) {
        store = VulnerabilityDatabaseStore(directory: VulnDBRunner.directory(dataDirectory))
    }

    /// The database as of now (empty when none was imported).
    func current() throws -> VulnerabilityDatabase {
        let mtime = Self.modificationTime(store.path)
        if let database = loaded.withLock({ $0.mtime == mtime ? $0.database : nil }) { return database }
        let database = try store.load()
        loaded.withLock { $0 = (mtime, database) }
        return database
    }

    private static func modificationTime(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}
