import BerthCore
import BerthMetadata
import BerthScanner
import Glibc

/// Runs `berth vulndb …` against a data directory.
public struct VulnDBRunner: Sendable {
    let store: VulnerabilityDatabaseStore

    /// The database in `DATA/vulndb/`.
    public init(dataDirectory: String) {
        store = VulnerabilityDatabaseStore(directory: Self.directory(dataDirectory))
    }

    /// Where the database lives under a data directory.
    static func directory(_ dataDirectory: String) -> String { dataDirectory + "/vulndb" }

    /// Runs one action, printing progress to standard output.
    public func run(_ action: VulnDBCommand.Action) throws {
        switch action {
        case .status:
            guard let stats = try store.loadStats() else {
                Console.out("no vulnerability database at \(store.path); import one with berth vulndb import")
                return
            }
            for line in Self.describe(stats) { Console.out(line) }
        case let .importFiles(paths, replace):
            try importFiles(paths, replace: replace)
        case .update:
            throw ConfigurationError("vulndb update needs the configuration: use run(_:configuration:)")
        }
    }

    private func importFiles(_ paths: [String], replace: Bool) throws {
        try DataDirectory.prepare(store.directory)
        let base = replace || !store.exists ? nil : try store.load()
        var builder = VulnerabilityDatabaseBuilder(base: base)
        var importer = VulnerabilityImporter()
        importer.progress = { progress in
            Console.out("  \(progress.path): \(progress.records) records, \(progress.skipped) skipped")
        }
        var total = 0
        for path in paths {
            Console.out("importing \(path)")
            let summary = try importer.importPath(path, into: &builder)
            total += summary.records
            Console.out("imported \(summary.records) records from \(path) (\(summary.skipped) skipped)")
            for problem in summary.problems.prefix(5) { Console.out("  warning: \(problem)") }
        }
        let now = Int64(time(nil))
        let database = builder.build(importedAt: now)
        try store.save(database)
        Console.out("saved \(database.records.count) records (\(total) imported now) to \(store.path)")
        for line in Self.describe(database.stats) { Console.out(line) }
    }

    /// Human-readable lines for `status`.
    static func describe(_ stats: DatabaseStats) -> [String] {
        var lines = ["imported at \(ListingTime.format(stats.importedAt)); \(stats.records) records, "
            + "\(stats.cvssRows) CVSS rows, \(stats.vendorRows) vendor severity rows"]
        for (ecosystem, count) in stats.recordsPerEcosystem.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(ecosystem): \(count)")
        }
        return lines
    }
}
