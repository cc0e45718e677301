import BerthCore
import BerthRegistry
import Dispatch
import Testing

/// Measures (prints, never asserts) the pull hot path: manifest by tag, with and without the cache.
@Suite("Manifest lookup speed")
struct ManifestLookupSpeedTests {
    @Test(arguments: [1_000 as Int64, 0])
    func manifestByTagRate(_ cacheMilliseconds: Int64) async throws {
        var configuration = RegistryConfiguration()
        configuration.manifestCacheMilliseconds = cacheMilliseconds
        let fixture = try await RegistryFixture(configuration: configuration)
        let pushed = try await fixture.pushImage("bench/app", tag: "latest", seed: "speed")
        let lookups = 4_000
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<(lookups / 8) {
                        let manifest = try await fixture.registry.manifest(repo("bench/app"), reference: .tag("latest"))
                        #expect(manifest.digest == pushed.digest)
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("manifest by tag, cache \(cacheMilliseconds) ms: \(Int(Double(lookups) / seconds)) lookups/s")
    }
}
