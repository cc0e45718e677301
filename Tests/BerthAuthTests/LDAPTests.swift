import BerthAuth
import BerthCrypto
import BerthMetadata
import Testing

/// The pure parts of LDAP login: filter escaping, settings validation, group membership, onboarding
/// rules and the sealed search password. The directory exchange itself runs against a real slapd in
/// tests/e2e/test_ldap.py.
@Suite struct LDAPTests {
    @Test func filterValuesAreEscaped() {
        #expect(LDAPFilter.escape("alice") == "alice")
        #expect(LDAPFilter.escape("*)(uid=*") == "\\2a\\29\\28uid=\\2a")
        #expect(LDAPFilter.escape("a\\b\u{0}") == "a\\5cb\\00")
        #expect(LDAPFilter.escape("jürgen") == "jürgen")
    }

    @Test func attributeNamesCarryNoFilterSyntax() {
        for good in ["uid", "sAMAccountName", "mail-alias", "2.5.4.3"] { #expect(LDAPFilter.isAttributeName(good), "\(good)") }
        for bad in ["", "uid)(cn=*", "uid=", "a b", "2.5.x", String(repeating: "a", count: 65)] {
            #expect(!LDAPFilter.isAttributeName(bad), "\(bad)")
        }
    }

    @Test func settingsAreValidated() throws {
        var settings = LDAPSettings()
        #expect(throws: AuthError.self) { try settings.validate(required: true) }  // no URL
        try settings.validate(required: false)  // unused settings may stay empty
        settings.url = "ldaps://ldap.corp.test:636"
        #expect(throws: AuthError.self) { try settings.validate(required: true) }  // no base DN
        settings.baseDN = "ou=people,dc=corp,dc=test"
        try settings.validate(required: true)
        for change in [{ (s: inout LDAPSettings) in s.url = "http://x" }, { $0.scope = 3 }, { $0.timeoutSeconds = 0 },
                       { $0.filter = "(objectClass=person" }, { $0.filter = ")(" }, { $0.uidAttribute = "uid)(x=*" },
                       { $0.searchDN = "cn=a\nb" }] as [(inout LDAPSettings) -> Void] {
            var bad = settings
            change(&bad)
            #expect(throws: AuthError.self) { try bad.validate(required: true) }
        }
    }

    @Test func groupMembershipIgnoresCaseAndSpaces() {
        let user = LDAPUser(dn: "uid=bob,ou=people,dc=t", username: "bob", email: "", realname: "Bob",
                            groups: ["cn=Admins, ou=groups, dc=t"])
        #expect(user.isMember(of: "CN=admins,OU=groups,DC=t"))
        #expect(!user.isMember(of: "cn=devs,ou=groups,dc=t"))
        #expect(!user.isMember(of: ""))
    }

    @Test func onboardingCreatesRefreshesAndNeverTakesOverLocalAccounts() async throws {
        let f = try IdentityFixture()
        _ = try await f.user("admin", admin: true)
        let onboarding = LDAPOnboarding(store: f.store, adminGroupDN: "cn=admins,dc=t", clock: { f.clock.now })
        let bob = LDAPUser(dn: "uid=bob,dc=t", username: "bob", email: "bob@t", realname: "Bob", groups: ["cn=admins,dc=t"])
        let (created, isNew) = try await onboarding.onboard(bob)
        #expect(isNew && created.source == "ldap" && created.passwordHash == nil && created.isSysadmin)
        let demoted = LDAPUser(dn: bob.dn, username: "bob", email: "new@t", realname: "Robert", groups: [])
        let (refreshed, again) = try await onboarding.onboard(demoted)
        #expect(!again && refreshed.id == created.id && refreshed.email == "new@t" && !refreshed.isSysadmin)
        let intruder = LDAPUser(dn: "uid=admin,dc=t", username: "admin", email: "", realname: "x", groups: ["cn=admins,dc=t"])
        await #expect(throws: LDAPOnboarding.Failure.usernameTaken("admin")) { try await onboarding.onboard(intruder) }
        let odd = LDAPUser(dn: "uid=a:b,dc=t", username: "a:b", email: "", realname: "", groups: [])
        await #expect(throws: LDAPOnboarding.Failure.invalidUsername("a:b")) { try await onboarding.onboard(odd) }
    }

    @Test func theSearchPasswordIsStoredSealed() async throws {
        let f = try IdentityFixture()
        let key = SecureRandom.bytes(32)
        let store = AuthSettingsStore(store: f.store, serverKey: key, initial: AuthSettings(), redirectURL: nil)
        var settings = AuthSettings()
        settings.mode = .ldap
        settings.ldap.url = "ldap://127.0.0.1:389"
        settings.ldap.baseDN = "dc=t"
        settings.ldap.searchDN = "cn=reader,dc=t"
        settings.ldap.searchPassword = "Reader-Secret-42"
        try await store.save(settings)
        let raw = try #require(try await f.store.setting(AuthSettingsStore.settingName))
        #expect(!raw.contains("Reader-Secret-42") && raw.contains("cn=reader,dc=t"))
        #expect(try await store.current() == settings)
        // Settings stored before LDAP existed read with LDAP's defaults.
        try await f.store.setSetting(AuthSettingsStore.settingName, """
            {"version":1,"auth_mode":"db_auth","oidc_name":"","oidc_endpoint":"","oidc_client_id":"",
             "oidc_client_secret_sealed":"","oidc_scope":"openid","oidc_user_claim":"sub","oidc_groups_claim":"groups",
             "oidc_admin_group":"","oidc_verify_cert":true,"oidc_auto_onboard":true}
            """)
        #expect(try await store.current().ldap == LDAPSettings())
    }
}
