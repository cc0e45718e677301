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
    }

    /// The settings `PUT /configurations` accepts; keys left out are unchanged.
    struct ConfigurationUpdate: Decodable, Sendable {
        var project_creation_restriction: String?
        var read_only: Bool?
        var self_registration: Bool?
    }

    /// `GET|PUT /configurations` (system administrators only). Every change is audited.
    func registerConfigurations(on router: inout HTTPRouter) {
        route(&router, .get, "/configurations") { call in
            try requireSystem(call, Permission("configuration", "update"))
            let listing = ConfigurationListing(
                auth_mode: .init(value: settings.authMode, editable: false),
                project_creation_restriction: .init(value: try await identity.projectCreationRestriction(),
                                                    editable: true),
                read_only: .init(value: readOnly?.isEnabled ?? false, editable: readOnly != nil),
                self_registration: .init(value: false, editable: false))
            return try HarborResponder.json(listing)
        }
        route(&router, .put, "/configurations") { call in
            try requireSystem(call, Permission("configuration", "update"))
            let update = try await HarborResponder.decode(ConfigurationUpdate.self, from: call.request)
            if update.self_registration == true {
                throw HarborError.badRequest("self-registration is not supported")
            }
            if let restriction = update.project_creation_restriction {
                guard ["everyone", "adminonly"].contains(restriction) else {
                    throw HarborError.badRequest("project_creation_restriction must be everyone or adminonly")
                }
                try await identity.setProjectCreationRestriction(restriction)
                audit(call, nil, resource: "project_creation_restriction", type: "configuration", operation: "update")
            }
            if let value = update.read_only {
                guard let readOnly else { throw HarborError.badRequest("read-only mode cannot be changed here") }
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
