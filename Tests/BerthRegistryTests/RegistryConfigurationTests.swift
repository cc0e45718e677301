import BerthRegistry
import Testing

@Suite struct RegistryConfigurationTests {
    @Test func defaultsMatchTheDocumentedLimits() {
        let configuration = RegistryConfiguration()
        #expect(configuration.maxManifestBytes == 4 * 1024 * 1024)
        #expect(configuration.maxJSONDepth == 64)
        #expect(configuration.uploadPurgeAgeSeconds == 86_400)
    }
}
