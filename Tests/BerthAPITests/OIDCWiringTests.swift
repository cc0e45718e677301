@testable import BerthApp
@testable import BerthAuth
import FoundationEssentials
import Testing

/// The OIDC configuration keys, the callback URL and the initial run-time settings.
@Suite struct OIDCWiringTests {
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
        #expect(OIDCWiring.redirectURL(settings, externalURL: "https://berth.test/") == "https://berth.test/c/oidc/callback")
        #expect(OIDCWiring.redirectURL(settings, externalURL: nil) == nil)
        #expect(OIDCWiring.redirectURL(settings, externalURL: "") == nil)
        settings.redirectURL = "https://proxy.test/c/oidc/callback"
        #expect(OIDCWiring.redirectURL(settings, externalURL: nil) == settings.redirectURL)
    }

    @Test func fileSettingsBecomeTheInitialRunTimeSettings() throws {
        #expect(OIDCSettings().authSettings.mode == .database, "no endpoint: local accounts")
        let json = #"{"oidc": {"name": "Corp SSO", "endpoint": "https://idp.test", "clientID": "berth", "#
            + #""clientSecret": "s3", "usernameClaim": "email", "groupsClaim": "roles", "adminGroup": "ops"}}"#
        var configuration = try JSONDecoder().decode(BerthConfiguration.self, from: Data(json.utf8))
        try configuration.applyEnvironment { $0 == "BERTH_OIDC_NAME" ? "Env SSO" : nil }
        let live = configuration.oidc.authSettings
        #expect(live.mode == .oidc && live.oidcName == "Env SSO" && live.endpoint == "https://idp.test")
        #expect(live.clientID == "berth" && live.clientSecret == "s3" && live.userClaim == "email")
        #expect(live.groupsClaim == "roles" && live.adminGroup == "ops" && live.verifyCert)
        try live.validate()
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
