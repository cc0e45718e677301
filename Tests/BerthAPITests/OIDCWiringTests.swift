@testable import BerthApp
@testable import BerthAuth
import FoundationEssentials
import Glibc
import Testing

/// The OIDC configuration keys and the server key file.
@Suite struct OIDCWiringTests {
    func temporaryDirectory() throws -> String {
        var template = Array("/tmp/berth-oidcwire-XXXXXX".utf8CString)
        return String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
    }

    @Test func jsonSectionAndEnvironmentConfigureSingleSignOn() throws {
        let json = #"{"oidc": {"endpoint": "https://idp.test/realms/x", "clientID": "berth", "adminGroup": "ops"}}"#
        var configuration = try JSONDecoder().decode(BerthConfiguration.self, from: Data(json.utf8))
        #expect(configuration.oidc.isEnabled && configuration.oidc.clientID == "berth")
        #expect(configuration.oidc.scope == "openid profile email", "defaults kept for keys left out")
        let environment = ["BERTH_OIDC_CLIENT_ID": "from-env", "BERTH_OIDC_USERNAME_CLAIM": "email"]
        try configuration.applyEnvironment { environment[$0] }
        #expect(configuration.oidc.clientID == "from-env" && configuration.oidc.usernameClaim == "email")
        #expect(configuration.oidc.adminGroup == "ops")
        try configuration.validate()

        configuration.oidc.clientID = ""
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(!BerthConfiguration().oidc.isEnabled, "off by default")
        try BerthConfiguration().validate()
    }

    @Test func callbackDefaultsToTheExternalURL() throws {
        var settings = OIDCSettings()
        settings.endpoint = "https://idp.test"
        settings.clientID = "berth"
        let derived = try OIDCWiring.configuration(settings, externalURL: "https://berth.test/")
        #expect(derived.redirectURL == "https://berth.test/c/oidc/callback")
        #expect(derived.issuer == "https://idp.test" && derived.clientID == "berth")
        #expect(throws: ConfigurationError.self) { try OIDCWiring.configuration(settings, externalURL: nil) }
        settings.redirectURL = "https://proxy.test/c/oidc/callback"
        #expect(try OIDCWiring.configuration(settings, externalURL: nil).redirectURL == settings.redirectURL)
    }

    @Test func serverKeyIsCreatedOncePrivatelyAndReused() throws {
        let directory = try temporaryDirectory()
        let first = try OIDCWiring.loadOrCreateServerKey(dataDirectory: directory)
        #expect(first.count == 32)
        var info = stat()
        #expect(stat(directory + "/oidc-server.key", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try OIDCWiring.loadOrCreateServerKey(dataDirectory: directory) == first)
        #expect(try OIDCWiring.loadOrCreateServerKey(dataDirectory: try temporaryDirectory()) != first)
        // A truncated key is refused, not silently replaced (that would lose every CLI secret).
        let short = try temporaryDirectory()
        #expect(FileManager.default.createFile(atPath: short + "/oidc-server.key", contents: Data([1, 2, 3])))
        #expect(throws: ConfigurationError.self) { try OIDCWiring.loadOrCreateServerKey(dataDirectory: short) }
    }

    @Test func loginEndsWithTheSameCookiesAsPasswordLogin() {
        let started = SessionManager.Started(cookieValue: "c00kie", csrfToken: "t0ken", principal: .anonymous)
        let headers = OIDCWiring.sessionHeaders(started, timeoutSeconds: 1_800, secure: true)
        let cookies = headers.filter { $0.0 == "Set-Cookie" }.map(\.1)
        #expect(cookies.contains("sid=c00kie; Path=/; Max-Age=1800; SameSite=Lax; HttpOnly; Secure"))
        #expect(cookies.contains("__csrf=t0ken; Path=/; Max-Age=1800; SameSite=Lax; Secure"))
        #expect(headers.contains { $0.0 == "X-Harbor-CSRF-Token" && $0.1 == "t0ken" })
    }
}
