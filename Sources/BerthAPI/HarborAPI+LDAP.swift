import BerthAuth
import BerthCore
import BerthMetadata
import HTTPServer

extension HarborAPI {
    struct LDAPPingResult: Encodable, Sendable { var success: Bool; var message: String }
    struct LDAPUserBody: Encodable, Sendable { var username: String; var realname: String; var email: String }
    struct LDAPImport: Decodable, Sendable { var ldap_uid_list: [String] }
    struct LDAPImportFailure: Encodable, Sendable { var uid: String; var error: String }

    /// Harbor's LDAP administration (system administrators only): `POST /ldap/ping` tests the stored
    /// settings, or the ones in the body laid over them; `GET /ldap/users/search?username=` lists
    /// directory users; `POST /ldap/users/import` onboards users before their first login.
    func registerLDAP(on router: inout HTTPRouter) {
        route(&router, .post, "/ldap/ping") { call in
            try requireSystem(call, Permission("configuration", "update"))
            var settings = try await liveLDAPSettings()
            let body = try await call.request.body.collect(upTo: 65_536)
            if !body.isEmpty {
                let update = try HarborResponder.decodeJSON(ConfigurationUpdate.self, from: body)
                update.apply(to: &settings)
                // Harbor's ping body names the timeout ldap_connection_timeout.
                if let timeout = try HarborResponder.decodeJSON(PingTimeout.self, from: body).ldap_connection_timeout {
                    settings.timeoutSeconds = timeout
                }
            }
            do {
                try settings.validate(required: true)
                try await LDAPDirectory(settings: settings).ping()
                return try HarborResponder.json(LDAPPingResult(success: true, message: "connected to \(settings.url)"))
            } catch AuthError.invalidInput(let message) {
                return try HarborResponder.json(LDAPPingResult(success: false, message: message))
            } catch let error as LDAPError {
                return try HarborResponder.json(LDAPPingResult(success: false, message: error.description))
            }
        }
        route(&router, .get, "/ldap/users/search") { call in
            try requireSystem(call, Permission("user", "list"))
            let directory = LDAPDirectory(settings: try await requireLDAP())
            let users = try await directoryCall { try await directory.search(call.request.queryValue("username") ?? "") }
            return try HarborResponder.json(users.map { LDAPUserBody(username: $0.username, realname: $0.realname, email: $0.email) })
        }
        route(&router, .post, "/ldap/users/import") { call in
            try requireSystem(call, Permission("user", "create"))
            let request = try await HarborResponder.decode(LDAPImport.self, from: call.request)
            guard !request.ldap_uid_list.isEmpty, request.ldap_uid_list.count <= 100 else {
                throw HarborError.badRequest("ldap_uid_list must name 1 to 100 users")
            }
            let settings = try await requireLDAP()
            let directory = LDAPDirectory(settings: settings)
            let onboarding = LDAPOnboarding(store: identity.store, adminGroupDN: settings.groupAdminDN)
            var failures: [LDAPImportFailure] = []
            for uid in request.ldap_uid_list {
                guard let found = try await directoryCall({ try await directory.user(named: uid) }) else {
                    failures.append(LDAPImportFailure(uid: uid, error: "not found in the directory"))
                    continue
                }
                do {
                    let (user, created) = try await onboarding.onboard(found)
                    if created { audit(call, nil, resource: user.username, type: "user", operation: "create") }
                } catch let failure as LDAPOnboarding.Failure {
                    failures.append(LDAPImportFailure(uid: uid, error: "\(failure)"))
                }
            }
            return failures.isEmpty ? HarborResponder.empty() : try HarborResponder.json(failures, status: 404)
        }
    }

    private struct PingTimeout: Decodable { var ldap_connection_timeout: Int? }

    /// The directory user `name`, onboarded (and audited) now, when the live mode is `ldap_auth`; nil when
    /// the mode is another, or the directory has no single such user, or the name is a local account's.
    func directoryUser(_ call: Call, named name: String) async throws -> UserRecord? {
        guard let authSettings else { return nil }
        let live = try await authSettings.current()
        guard live.usesLDAP else { return nil }
        let directory = LDAPDirectory(settings: live.ldap)
        guard let found = try await directoryCall({ try await directory.user(named: name) }) else { return nil }
        do {
            let (user, created) = try await LDAPOnboarding(store: identity.store, adminGroupDN: live.ldap.groupAdminDN)
                .onboard(found)
            if created { audit(call, nil, resource: user.username, type: "user", operation: "create") }
            return user
        } catch is LDAPOnboarding.Failure {
            return nil
        }
    }

    private func liveLDAPSettings() async throws -> LDAPSettings {
        guard let authSettings else { throw HarborError.badRequest("LDAP cannot be configured here") }
        return try await authSettings.current().ldap
    }

    /// The LDAP settings when the live mode is `ldap_auth`.
    private func requireLDAP() async throws -> LDAPSettings {
        guard let authSettings, try await authSettings.current().usesLDAP else {
            throw HarborError(.preconditionFailed, "the authentication mode is not ldap_auth")
        }
        return try await authSettings.current().ldap
    }

    /// Runs a directory call, turning an unreachable directory into a clear 500.
    private func directoryCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LDAPError {
            Log.warning("ldap: \(error)")
            throw HarborError(.internalServerError, error.description)
        }
    }
}
