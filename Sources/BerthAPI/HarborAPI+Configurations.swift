import BerthAuth
import BerthCore
import HTTPServer

extension HarborAPI {
    /// One entry of Harbor's configuration listing.
    struct ConfigurationItem<Value: Encodable & Sendable>: Encodable, Sendable {
        var value: Value
        var editable: Bool
    }

    struct ConfigurationListing: Encodable, Sendable {
        var auth_mode: ConfigurationItem<String>
        var project_creation_restriction: ConfigurationItem<String>
        var read_only: ConfigurationItem<Bool>
        var self_registration: ConfigurationItem<Bool>
        /// Minutes a portal session lasts without use, and minutes a registry token is valid.
        var session_timeout: ConfigurationItem<Int64>?
        var token_expiration: ConfigurationItem<Int64>?
        // OIDC settings (absent when they cannot be changed at run time). The client secret is never listed.
        var oidc_name: ConfigurationItem<String>?
        var oidc_endpoint: ConfigurationItem<String>?
        var oidc_client_id: ConfigurationItem<String>?
        var oidc_scope: ConfigurationItem<String>?
        var oidc_user_claim: ConfigurationItem<String>?
        var oidc_groups_claim: ConfigurationItem<String>?
        var oidc_admin_group: ConfigurationItem<String>?
        var oidc_verify_cert: ConfigurationItem<Bool>?
        var oidc_auto_onboard: ConfigurationItem<Bool>?
        // LDAP settings (the search password is never listed).
        var ldap_url: ConfigurationItem<String>?
        var ldap_search_dn: ConfigurationItem<String>?
        var ldap_base_dn: ConfigurationItem<String>?
        var ldap_filter: ConfigurationItem<String>?
        var ldap_uid: ConfigurationItem<String>?
        var ldap_scope: ConfigurationItem<Int>?
        var ldap_timeout: ConfigurationItem<Int>?
        var ldap_verify_cert: ConfigurationItem<Bool>?
        var ldap_group_admin_dn: ConfigurationItem<String>?
        var ldap_group_membership_attribute: ConfigurationItem<String>?
    }

    /// The settings `PUT /configurations` accepts; keys left out are unchanged. An empty
    /// `oidc_client_secret` also leaves the secret unchanged (forms never receive it back).
    struct ConfigurationUpdate: Decodable, Sendable {
        var project_creation_restriction: String?
        var read_only: Bool?
        var self_registration: Bool?
        var session_timeout: Int64?
        var token_expiration: Int64?
        var auth_mode: String?
        var oidc_name: String?
        var oidc_endpoint: String?
        var oidc_client_id: String?
        var oidc_client_secret: String?
        var oidc_scope: String?
        var oidc_user_claim: String?
        var oidc_groups_claim: String?
        var oidc_admin_group: String?
        var oidc_verify_cert: Bool?
        var oidc_auto_onboard: Bool?
        var ldap_url: String?
        var ldap_search_dn: String?
        /// Empty leaves the stored password unchanged, like `oidc_client_secret`.
        var ldap_search_password: String?
        var ldap_base_dn: String?
        var ldap_filter: String?
        var ldap_uid: String?
        var ldap_scope: Int?
        var ldap_timeout: Int?
        var ldap_verify_cert: Bool?
        var ldap_group_admin_dn: String?
        var ldap_group_membership_attribute: String?
    }

    /// `GET|PUT /configurations` (system administrators only). Every change is audited.
    func registerConfigurations(on router: inout HTTPRouter) {
        route(&router, .get, "/configurations") { call in
            try requireSystem(call, Permission("configuration", "update"))
            var listing = ConfigurationListing(
                auth_mode: .init(value: settings.authMode, editable: false),
                project_creation_restriction: .init(value: try await identity.projectCreationRestriction(),
                                                    editable: true),
                read_only: .init(value: readOnly?.isEnabled ?? false, editable: readOnly != nil),
                self_registration: .init(value: false, editable: false))
            if let authSettings { listing.describe(try await authSettings.current()) }
            if let timeouts {
                await timeouts.refreshIfStale()
                listing.session_timeout = .init(value: timeouts.current.sessionSeconds / 60, editable: true)
                listing.token_expiration = .init(value: timeouts.current.tokenSeconds / 60, editable: true)
            }
            return try HarborResponder.json(listing)
        }
        route(&router, .put, "/configurations") { call in
            try requireSystem(call, Permission("configuration", "update"))
            let update = try await HarborResponder.decode(ConfigurationUpdate.self, from: call.request)
            if update.self_registration == true {
                throw HarborError.badRequest("self-registration is not supported")
            }
            if let restriction = update.project_creation_restriction,
               !["everyone", "adminonly"].contains(restriction) {
                throw HarborError.badRequest("project_creation_restriction must be everyone or adminonly")
            }
            if update.read_only != nil, readOnly == nil {
                throw HarborError.badRequest("read-only mode cannot be changed here")
            }
            try validateTimeouts(update)
            let authenticationChanges = try await applyAuthentication(update)
            if !authenticationChanges.isEmpty { credentialsChanged() }
            for key in try await authenticationChanges + applyTimeouts(update) {
                audit(call, nil, resource: key, type: "configuration", operation: "update")
            }
            if let restriction = update.project_creation_restriction {
                try await identity.setProjectCreationRestriction(restriction)
                audit(call, nil, resource: "project_creation_restriction", type: "configuration", operation: "update")
            }
            if let value = update.read_only, let readOnly {
                readOnly.isEnabled = value
                Log.info("read-only mode \(value ? "on" : "off") by \(call.principal.name)")
                audit(call, nil, resource: "read_only", type: "configuration", operation: "update")
            }
            return HarborResponder.empty()
        }
    }

    /// This API with `PUT /configurations` able to switch read-only mode at run time.
    public func controllingReadOnly(_ mode: ReadOnlyMode) -> HarborAPI {
        var api = self
        api.readOnly = mode
        return api
    }
}
