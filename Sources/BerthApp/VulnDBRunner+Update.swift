import BerthMetadata

extension VulnDBRunner {
    /// Runs one action with the full configuration (`update` needs the source and the scan store).
    public func run(_ action: VulnDBCommand.Action, configuration: BerthConfiguration) async throws {
        guard case let .update(source, ecosystems) = action else { return try run(action) }
        try DataDirectory.prepare(configuration.dataDirectory)
        let metadata = try StoreFactory.metadataStore(configuration)
        let updater = VulnDBUpdater(dataDirectory: configuration.dataDirectory, settings: configuration.vulndb,
                                    scans: ScanStoreFactory.store(on: metadata), log: { Console.out($0) })
        let outcome = try await updater.update(source: source, ecosystems: ecosystems)
        for line in Self.describe(outcome.stats) { Console.out(line) }
    }
}
