@testable import BerthAPI
import BerthAuth
import FoundationEssentials
import Testing

/// The Harbor shape of the authentication settings in `/configurations`.
@Suite struct HarborAuthSettingsTests {
    static func settings() -> AuthSettings {
        var settings = AuthSettings()
        settings.mode = .oidc
        settings.oidcName = "Corp"
        settings.endpoint = "https://idp.test"
        settings.clientID = "berth"
        settings.clientSecret = "never-listed-secret"
        return settings
    }

    @Test func listingHasHarborItemsAndNoSecret() throws {
        var listing = HarborAPI.ConfigurationListing(
            auth_mode: .init(value: "db_auth", editable: false), project_creation_restriction: .init(value: "everyone", editable: true),
            read_only: .init(value: false, editable: true), self_registration: .init(value: false, editable: false))
        let without = String(decoding: try JSONEncoder().encode(listing), as: UTF8.self)
        #expect(!without.contains("oidc_"), "no OIDC keys when they cannot be changed")
        listing.describe(Self.settings())
        let data = try JSONEncoder().encode(listing)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("never-listed-secret") && !text.contains("oidc_client_secret"))
        struct Item<V: Decodable>: Decodable { let value: V; let editable: Bool }
        struct Listed: Decodable {
            let auth_mode: Item<String>
            let oidc_verify_cert: Item<Bool>
            let oidc_endpoint: Item<String>
        }
        let listed = try JSONDecoder().decode(Listed.self, from: data)
        #expect(listed.auth_mode.value == "oidc_auth" && listed.auth_mode.editable)
        #expect(listed.oidc_verify_cert.value && !listed.oidc_verify_cert.editable)
        #expect(listed.oidc_endpoint.value == "https://idp.test")
    }

    @Test func changedKeysNameOnlyWhatDiffers() throws {
        let before = Self.settings()
        #expect(HarborAPI.changedKeys(before, before).isEmpty)
        var after = before
        after.clientSecret = "rotated"
        after.mode = .database
        after.adminGroup = "ops"
        #expect(HarborAPI.changedKeys(before, after) == ["auth_mode", "oidc_client_secret", "oidc_admin_group"])
        let update = try JSONDecoder().decode(HarborAPI.ConfigurationUpdate.self, from: Data(#"{"read_only":true}"#.utf8))
        #expect(!update.touchesAuthentication)
        let auth = try JSONDecoder().decode(HarborAPI.ConfigurationUpdate.self,
                                            from: Data(#"{"oidc_verify_cert":true}"#.utf8))
        #expect(auth.touchesAuthentication)
    }
}
