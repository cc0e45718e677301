import BerthAPI
import BerthCore
import BerthMetadata
import BerthScanner
import FoundationEssentials
import Glibc

/// `berth vulndb update` and the `vulndb.update` job: downloads osv.dev's per-ecosystem zips
/// (`<source>/<Ecosystem>/all.zip`) for the ecosystems of the stored scan inventories, those already in
/// the database, and any asked for,
/// and merges them into `DATA/vulndb/` like `berth vulndb import` does (the severity tables and other
/// records already imported stay; a record with the same id is replaced; withdrawn records are dropped).
/// Every zip is downloaded before anything is imported, and the database file is replaced atomically, so
/// a failed download leaves the previous database as it was.
struct VulnDBUpdater: Sendable {
    /// What one update did.
    struct Outcome: Sendable {
        /// The ecosystems downloaded, as their zip directory names.
        var downloaded: [String]
        /// Records taken from the downloads.
        var imported: Int
        /// The database after the update.
        var stats: DatabaseStats
    }

    let dataDirectory: String
    let settings: VulnDBSettings
    /// Stored scans, for the ecosystems in use (nil: only the ones asked for).
    let scans: (any ScanStore)?
    var downloader = VulnDBDownloader()
    /// Receives one line per step.
    var log: @Sendable (String) -> Void = { _ in }

    /// Runs an update; `source` overrides the configured base URL.
    func update(source: String? = nil, ecosystems extra: [String] = []) async throws -> Outcome {
        let base = String((source ?? settings.source).reversed().drop { $0 == "/" }.reversed())
        let store = VulnerabilityDatabaseStore(directory: VulnDBRunner.directory(dataDirectory))
        var wanted = Set(extra)
        if let scans { wanted.formUnion(try await Self.ecosystemsInUse(scans)) }
        // Ecosystems imported before (by hand or by an earlier update) stay current too.
        if let stats = try store.loadStats() { wanted.formUnion(stats.recordsPerEcosystem.filter { $0.value > 0 }.keys) }
        guard !wanted.isEmpty else {
            throw ConfigurationError("no ecosystems to update: no stored scan has packages and the database has none; "
                                     + "name some with --ecosystem")
        }
        log("ecosystems: \(wanted.sorted().joined(separator: ", "))")
        try DataDirectory.prepare(store.directory)
        let work = store.directory + "/.update-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(work, 0o700) == 0 else { throw ConfigurationError("cannot create \(work): errno \(errno)") }
        defer { Self.removeTree(work) }

        var files: [(ecosystem: String, path: String)] = []
        var downloaded: [String] = []
        for ecosystem in wanted.sorted() {
            let (name, path) = try await fetch(ecosystem, base: base, into: work, index: files.count)
            if downloaded.contains(name) { continue }
            downloaded.append(name)
            files.append((name, path))
        }
        let paths = files.map(\.path)
        let (stats, imported) = try await BlockingPool.shared.run { [log] in
            try VulnDBUpdater.merge(paths, into: store, log: log)
        }
        log("vulnerability database updated: \(stats.records) records (\(imported) from \(downloaded.joined(separator: ", ")))")
        return Outcome(downloaded: downloaded, imported: imported, stats: stats)
    }

    /// Downloads one ecosystem's zip. A release-qualified name (`Debian:12`) that the source does not
    /// serve (404) falls back to its ecosystem's whole zip (`Debian`), which osv.dev always has.
    private func fetch(_ ecosystem: String, base: String, into work: String, index: Int) async throws -> (String, String) {
        let path = work + "/\(index).zip"
        var candidates = [ecosystem]
        if let colon = ecosystem.firstIndex(of: ":") { candidates.append(String(ecosystem[..<colon])) }
        for (n, name) in candidates.enumerated() {
            let url = base + "/" + Self.pathSegment(name) + "/all.zip"
            log("downloading \(url)")
            do {
                let bytes = try await downloader.download(url, to: path, maxBytes: settings.maxDownloadBytes)
                log("  \(bytes) bytes")
                return (name, path)
            } catch let error as VulnDBDownloadError where error.status == 404 && n + 1 < candidates.count {
                log("  not found; trying \(candidates[n + 1])")
            }
        }
        throw VulnDBDownloadError(url: base, status: nil, reason: "no zip for \(ecosystem)")
    }

    /// Merges import files into the database at `store` (created when absent) and saves it atomically;
    /// returns the new statistics and the number of records read. Shared with the API's import.
    /// With `requireRecords`, a file set that yields no record and no severity row throws
    /// `VulnDBImportRejected` and the database is left untouched.
    static func merge(_ paths: [String], into store: VulnerabilityDatabaseStore, requireRecords: Bool = false,
                      log: @escaping @Sendable (String) -> Void) throws -> (DatabaseStats, Int) {
        let base = store.exists ? try store.load() : nil
        var builder = VulnerabilityDatabaseBuilder(base: base)
        var importer = VulnerabilityImporter()
        importer.progress = { log("  \($0.path): \($0.records) records, \($0.skipped) skipped") }
        var imported = 0
        var problems: [String] = []
        for path in paths {
            let summary = try importer.importPath(path, into: &builder)
            imported += summary.records
            problems += summary.problems
            for problem in summary.problems.prefix(3) { log("  warning: \(problem)") }
        }
        if requireRecords && imported == 0 {
            throw VulnDBImportRejected(problems.first.map { "no advisory or severity row found (\($0))" }
                                       ?? "no advisory or severity row found")
        }
        let database = builder.build(importedAt: Int64(time(nil)))
        try store.save(database)
        return (database.stats, imported)
    }

    /// The distinct OSV ecosystems of every stored inventory's packages (the names the matcher looks
    /// packages up under), read a page at a time.
    static func ecosystemsInUse(_ scans: any ScanStore, pageSize: Int = 50) async throws -> Set<String> {
        var found = Set<String>()
        var after = ""
        while true {
            let page = try await scans.inventories(after: after, limit: pageSize)
            for (_, json) in page {
                guard let inventory = try? JSONDecoder().decode(ImageInventory.self, from: Data(json.utf8)) else { continue }
                for package in inventory.installedPackages where !package.ecosystem.isEmpty { found.insert(package.ecosystem) }
            }
            guard page.count == pageSize, let last = page.last else { return found }
            after = last.digest
        }
    }

    /// An ecosystem name as one URL path segment (`Rocky Linux:9` → `Rocky%20Linux:9`).
    static func pathSegment(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// Removes a flat directory of downloads.
    static func removeTree(_ directory: String) {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names { unlink(directory + "/" + name) }
        }
        rmdir(directory)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
